package pe.ruccache.cli;

import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import pe.ruccache.app.Services;
import pe.ruccache.app.Settings;
import pe.ruccache.core.ConfigException;
import pe.ruccache.lookup.StopRequest;
import pe.ruccache.serve.Clients;
import pe.ruccache.serve.ListenAddress;
import pe.ruccache.serve.RucServer;
import pe.ruccache.serve.ServeSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code serve}: the cache as an HTTP service, until SIGTERM or Ctrl-C. */
@Command(name = "serve", sortOptions = false,
        description = {"Serve lookups over HTTP: /v1/ruc, APIMIGO's /api/v2/ruc and /api/v1/ruc, /healthz, /readyz, "
                + "/metrics and /openapi.json, over the same cache and providers as the command line.",
            "Listens on loopback unless given a clients file. SIGTERM or Ctrl-C stops it in order (exit 0)."},
        subcommands = ServeCommand.AddClientCommand.class,
        footerHeading = "%nExamples:%n",
        footer = {
            "  ruc-cache serve",
            "      Serve on http://127.0.0.1:8080 to local processes.",
            "  curl -s http://127.0.0.1:8080/v1/ruc/20100038146",
            "      The same JSON object as 'lookup --format json'.",
            "  ruc-cache serve add-client erp --clients /etc/ruc-cache/clients",
            "      Make a token for client erp; the file keeps only its hash.",
            "  ruc-cache serve --listen 0.0.0.0:8080 --clients /etc/ruc-cache/clients",
            "      Serve other machines; each sends 'Authorization: Bearer TOKEN'.",
            "  ruc-cache serve --provider padron --offline --access-log stdout",
            "      Answer from the padrón snapshot only; log requests on stdout."})
final class ServeCommand extends AbstractCommand {

    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "Address to listen on (default 127.0.0.1:8080; env RUC_CACHE_LISTEN, serve.listen). Any "
                    + "address other than loopback needs --clients.")
    String listen;

    @Option(names = "--clients", paramLabel = "FILE",
            description = "Clients file: one 'NAME sha256:HEX [rate=N]' line per client, mode 0600 (env "
                    + "RUC_CACHE_CLIENTS, serve.clients). Requests must then carry one of its tokens.")
    Path clients;

    @Option(names = "--client-rate", paramLabel = "N", defaultValue = "0",
            description = "Requests per second each client may make, unless its line sets rate=N; over it, 429 "
                    + "(default 0: no limit).")
    double clientRate;

    @Option(names = "--max-batch", paramLabel = "N", defaultValue = "" + ServeSettings.DEFAULT_MAX_BATCH,
            description = "Most RUCs in one POST /v1/ruc; more is 413 (default ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "" + ServeSettings.DEFAULT_MAX_BODY,
            description = "Largest request body; larger is 413 (default ${DEFAULT-VALUE}).")
    int maxBody;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "30s",
            description = "Close a connection that sends nothing for this long (default ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "8",
            description = "Most provider calls in flight at once, across all requests (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--memory-ttl", paramLabel = "DURATION", defaultValue = "10s",
            description = "Longest an answer stays in this process's memory in front of the store, never past its "
                    + "expiry; 0s for none (default ${DEFAULT-VALUE}).")
    Duration memoryTtl;

    @Option(names = "--access-log", paramLabel = "WHERE",
            description = "Where the access log goes: stderr, stdout or off (default stderr; env "
                    + "RUC_CACHE_ACCESS_LOG, serve.access_log).")
    String accessLog;

    @Option(names = "--ttl-valid", paramLabel = "DURATION",
            description = "Keep VALID answers this long (default 1h).")
    Duration ttlValid;

    @Option(names = "--ttl-invalid", paramLabel = "DURATION",
            description = "Keep INVALID answers this long (default 24h).")
    Duration ttlInvalid;

    @Mixin
    ProviderOptions providerOptions;

    /** How long a stop waits for requests in flight: within the signal watchdog's limit, with room to store. */
    static final Duration STOP_GRACE = Interrupts.GRACE;

    @Override
    public Integer call() {
        Settings settings = settings(providerOptions.providers, ttlValid, ttlInvalid);
        ServeSettings serve = serveSettings(settings.serve());
        Clients known = serve.clients() == null ? null : Clients.load(serve.clients());
        Writer log = switch (accessLog != null ? accessLogFlag() : settings.serve().accessLog()) {
            case "stdout" -> out();
            case "stderr" -> err();
            default -> null;
        };
        Interrupts interrupts = context().interrupts();
        StopRequest stop = interrupts.begin();
        try (Services services = services(settings)) {
            RucServer server = RucServer.start(services, serve, known, log, err());
            interrupts.stopIsOrderly();
            stop.onRequest(why -> {
                Thread stopper = new Thread(() -> {
                    note("stopping (" + why + "): finishing the requests in flight");
                    err().flush();
                    server.stop();
                }, "ruc-cache-serve-stop");
                stopper.start();
            });
            note("serving on " + server.uri() + " (store " + services.store().location() + "; providers "
                    + (settings.providers().isEmpty() ? "none" : String.join(",", settings.providers()))
                    + (known == null ? "; loopback only, no client token needed" : "; " + known.size()
                            + (known.size() == 1 ? " client" : " clients")) + ")");
            err().flush();
            try {
                server.awaitStop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                server.stop();
            }
            note("stopped; counters saved");
        } finally {
            interrupts.end();
        }
        return ExitCodes.OK;
    }

    private ServeSettings serveSettings(Settings.Serve configured) {
        ListenAddress where;
        try {
            where = ListenAddress.parse(listen != null ? listen : configured.listen());
        } catch (IllegalArgumentException e) {
            if (listen == null) {
                throw new ConfigException("the listen address (RUC_CACHE_LISTEN or serve.listen in the config file): "
                        + e.getMessage());
            }
            throw new ParameterException(spec.commandLine(), "--listen " + e.getMessage());
        }
        Path file = clients != null ? clients : configured.clients();
        if (maxBatch < 1 || maxBatch > 100_000) {
            throw new ParameterException(spec.commandLine(), "--max-batch must be from 1 to 100000, not " + maxBatch);
        }
        if (maxBody < 1024) {
            throw new ParameterException(spec.commandLine(), "--max-body must be at least 1024 bytes, not " + maxBody);
        }
        if (concurrency < 1 || concurrency > 256) {
            throw new ParameterException(spec.commandLine(), "--concurrency must be from 1 to 256, not "
                    + concurrency);
        }
        if (clientRate < 0 || Double.isNaN(clientRate) || Double.isInfinite(clientRate)) {
            throw new ParameterException(spec.commandLine(), "--client-rate must be 0 (no limit) or more, not "
                    + clientRate);
        }
        if (idleTimeout.isZero() || idleTimeout.isNegative()) {
            throw new ParameterException(spec.commandLine(), "--idle-timeout must be longer than zero");
        }
        if (memoryTtl.isNegative()) {
            throw new ParameterException(spec.commandLine(), "--memory-ttl must not be negative");
        }
        if (accessLog != null) {
            accessLogFlag();
        }
        return new ServeSettings(where, file, maxBatch, maxBody, idleTimeout, clientRate, concurrency, memoryTtl,
                STOP_GRACE, providerOptions.offline);
    }

    private String accessLogFlag() {
        String t = accessLog.strip().toLowerCase(Locale.ROOT);
        if (!t.equals("stderr") && !t.equals("stdout") && !t.equals("off")) {
            throw new ParameterException(spec.commandLine(), "--access-log '" + accessLog + "' is not an access log "
                    + "target; use stderr, stdout or off");
        }
        return t;
    }

    /** {@code serve add-client NAME}: a new client token, its hash added to the clients file. */
    @Command(name = "add-client", sortOptions = false,
            description = {"Make a token for a new client of 'serve' and add its hash to the clients file.",
                "The token is printed once, on stdout; the file (created 0600) keeps only its SHA-256."},
            footerHeading = "%nExamples:%n",
            footer = {
                "  ruc-cache serve add-client erp --clients /etc/ruc-cache/clients",
                "      Print erp's token; give it to the ERP as 'Authorization: Bearer TOKEN'.",
                "  ruc-cache serve add-client web --rate 20 --clients clients.txt",
                "      Client web may make up to 20 requests per second."})
    static final class AddClientCommand extends AbstractCommand {

        @Parameters(paramLabel = "NAME", description = "The client's name, in the access log and the metrics.")
        String name;

        @Option(names = "--clients", paramLabel = "FILE", required = true,
                description = "The clients file to add it to; created when missing.")
        Path clients;

        @Option(names = "--rate", paramLabel = "N", defaultValue = "0",
                description = "This client's own limit, in requests per second (default 0: the server's "
                        + "--client-rate).")
        double rate;

        @Override
        public Integer call() {
            if (rate < 0 || Double.isNaN(rate) || Double.isInfinite(rate) || rate > 1_000_000) {
                throw new ParameterException(spec.commandLine(), "--rate must be from 0 to 1000000, not " + rate);
            }
            String token = Clients.add(clients, name, rate);
            out().println(token);
            out().flush();
            note("added client " + name + " to " + clients + "; this token is shown only now");
            return ExitCodes.OK;
        }
    }
}
