/**
 * Where answers are kept between runs: the {@link pe.ruccache.cache.Store} contract, its implementations
 * (SQLite file, Redis), and the in-process Caffeine front.
 */
package pe.ruccache.cache;
