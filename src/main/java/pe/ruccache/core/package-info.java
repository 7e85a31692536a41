/**
 * The domain: what a RUC is, how it is checked locally, and what a lookup answers.
 * JDK only; knows nothing of command lines, HTTP, SQL or CSV.
 */
package pe.ruccache.core;
