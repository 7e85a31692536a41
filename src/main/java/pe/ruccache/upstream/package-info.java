/**
 * The RUC providers (APIMIGO, decolecta, apis.net.pe) behind one {@link pe.ruccache.upstream.Provider} interface,
 * with retries, rate limits and circuit breakers. The only package that imports OkHttp.
 */
package pe.ruccache.upstream;
