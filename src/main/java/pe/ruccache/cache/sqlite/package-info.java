/**
 * The default store: one SQLite file in WAL mode, private to its user and shared safely by several processes.
 * Translates every SQLite failure into a one-line {@link pe.ruccache.core.StoreException}.
 */
package pe.ruccache.cache.sqlite;
