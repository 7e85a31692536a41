/**
 * The HTTP service ({@code ruc-cache serve}): routes, client authentication and limits, request coalescing, metrics
 * and the access log, over the same lookup pipeline, store and providers as the command line.
 */
package pe.ruccache.serve;
