/**
 * The shared store on Redis: answers under {@code <prefix>:<provider>:ruc:<ruc>} with native TTLs, counters and the
 * providers set under the same prefix, SCAN-based stats and clears, and one-line errors that never show a password;
 * and what makes the processes using it act as one: shared request-rate buckets and single-flight claims.
 */
package pe.ruccache.cache.redis;
