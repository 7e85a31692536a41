/**
 * Bulk checking: streaming CSV in (encoding, delimiter and RUC column found the way users' files need), windows of
 * rows resolved through the lookup service with bounded concurrency, results out in input order, progress, summary.
 */
package pe.ruccache.bulk;
