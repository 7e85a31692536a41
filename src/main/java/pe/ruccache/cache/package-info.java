/**
 * Where answers are kept between runs: the {@link pe.ruccache.cache.Store} contract, its implementations
 * (SQLite file, Redis), the in-process Caffeine front, and the {@link pe.ruccache.cache.SingleFlight} by which
 * processes sharing a store ask the providers about a RUC once between them.
 */
package pe.ruccache.cache;
