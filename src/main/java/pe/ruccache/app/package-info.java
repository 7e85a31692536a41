/**
 * The composition root: {@link pe.ruccache.app.Settings} resolved from flags, environment and config file, and
 * {@link pe.ruccache.app.Services}, which opens and closes the store, the HTTP client and the caches.
 */
package pe.ruccache.app;
