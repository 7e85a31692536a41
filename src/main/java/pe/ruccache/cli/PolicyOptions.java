package pe.ruccache.cli;

import pe.ruccache.core.Policy;
import picocli.CommandLine.Option;

/** What a VALID taxpayer must also be for the run to succeed. */
final class PolicyOptions {

    @Option(names = "--require-active", description = "Fail (exit 1) when a taxpayer's estado is not ACTIVO.")
    boolean requireActive;

    @Option(names = "--require-habido", description = "Fail (exit 1) when a taxpayer's condición is not HABIDO.")
    boolean requireHabido;

    Policy policy() {
        return new Policy(requireActive, requireHabido);
    }
}
