package org.diffusionlab.cli;

import org.diffusionlab.engine.Backend;
import org.diffusionlab.engine.EngineOptions;

import picocli.CommandLine.Option;

/** {@code --backend cpu|nd4j}: where a command's networks run (a mixin of train, sample, elbo and bench). */
final class BackendOption {

    @Option(names = "--backend", paramLabel = "cpu|nd4j",
            description = "Where the network runs: cpu (the fast kernels written for this app) or nd4j (ND4J's "
                    + "operations, on a GPU in a -Pcuda build; slower on a laptop). Models trained on one run on "
                    + "the other. Default: ${DEFAULT-VALUE}.")
    String backend = Backend.ofBuild().cliName();

    /** The engine options with this backend. */
    EngineOptions apply(EngineOptions engine) {
        try {
            return engine.withBackend(Backend.parse(backend));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
