/**
 * The command line (picocli only): the root command, one class per subcommand, option mixins, renderers, exit codes
 * and the one error handler. Nothing imports this package.
 */
package pe.ruccache.cli;
