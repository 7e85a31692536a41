/**
 * The read-through service: local check, then memory, then the store, then the providers; negative caching,
 * stale answers when providers fail, the invalid registry, statistics and health.
 */
package pe.ruccache.lookup;
