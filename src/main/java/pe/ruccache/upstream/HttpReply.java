package pe.ruccache.upstream;

/**
 * One HTTP response, read in full (up to a limit) so it can be classified after the connection is released.
 *
 * @param code the HTTP status
 * @param contentType the {@code Content-Type} header, or null
 * @param body the body decoded with its charset (UTF-8 by default), cut at the size limit
 * @param truncated whether the body was longer than the limit
 * @param retryAfter the raw {@code Retry-After} header, or null
 */
record HttpReply(int code, String contentType, String body, boolean truncated, String retryAfter) {
}
