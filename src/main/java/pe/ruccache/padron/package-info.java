/**
 * SUNAT's padrón reducido as a local, offline provider: importing the published file into a compact SQLite snapshot
 * that replaces the previous one only when complete, its status and health, and the provider that answers from it.
 */
package pe.ruccache.padron;
