package pe.ruccache.cli;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import pe.ruccache.core.Ruc;
import pe.ruccache.upstream.RecordedBodies;

/**
 * A provider on MockWebServer that answers any RUC in the APIMIGO or decolecta shape, counts the requests for each,
 * notes when each arrived, and lets a test script the answer for particular RUCs or hold every answer back.
 */
final class RucStub extends Dispatcher {

    final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    final Map<String, Function<Integer, MockResponse>> scripted = new ConcurrentHashMap<>();
    final AtomicInteger total = new AtomicInteger();
    /** When each request arrived ({@link System#nanoTime()}), before any hold. */
    final Queue<Long> arrivals = new ConcurrentLinkedQueue<>();
    private final boolean decolecta;
    /** Runs when a request has arrived and been counted, before it is answered: a test holds answers back here. */
    volatile Runnable beforeEach = () -> { };
    volatile Runnable afterEach = () -> { };

    RucStub(boolean decolecta) {
        this.decolecta = decolecta;
    }

    /** Returns the RUC whose first ten digits are {@code 20} and {@code n} in 8 digits: a well-formed RUC. */
    static String ruc(int n) {
        String first = String.format(java.util.Locale.ROOT, "20%08d", n);
        return first + Ruc.checkDigit(first);
    }

    static String name(String ruc) {
        return "EMPRESA " + ruc + " S.A.C.";
    }

    static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body)
                .build();
    }

    /** Returns APIMIGO's 200 body for {@code ruc} with {@code name}. */
    static String migoBody(String ruc, String name) {
        return RecordedBodies.MIGO_CONTINENTAL.replace("20100038146", ruc).replace("CONTINENTAL S.A.C.",
                name.replace("\"", "\\\""));
    }

    int requestsFor(String ruc) {
        AtomicInteger n = requests.get(ruc);
        return n == null ? 0 : n.get();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        arrivals.add(System.nanoTime());
        String target = request.getTarget();
        String ruc = decolecta ? target.substring(target.indexOf("numero=") + 7)
                : target.substring(target.lastIndexOf('/') + 1);
        int n = requests.computeIfAbsent(ruc, k -> new AtomicInteger()).incrementAndGet();
        total.incrementAndGet();
        try {
            beforeEach.run();
            Function<Integer, MockResponse> script = scripted.get(ruc);
            if (script != null) {
                MockResponse scriptedResponse = script.apply(n);
                if (scriptedResponse != null) {
                    return scriptedResponse;
                }
            }
            if (decolecta) {
                return json(200, RecordedBodies.DECOLECTA_CONTINENTAL.replace("20100038146", ruc)
                        .replace("CONTINENTAL S.A.C.", name(ruc)));
            }
            return json(200, migoBody(ruc, name(ruc)));
        } finally {
            afterEach.run();
        }
    }
}
