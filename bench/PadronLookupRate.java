import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import pe.ruccache.core.Ruc;
import pe.ruccache.core.TaxpayerRecord;
import pe.ruccache.padron.PadronProvider;
import pe.ruccache.padron.Snapshot;
import pe.ruccache.upstream.ProviderAnswer;

/**
 * Answers every RUC of a one-column CSV from a padrón snapshot through the provider's batched path, and writes one CSV
 * line per RUC, as a bulk run over the padrón would: the part of {@code bulk} that the padrón is responsible for,
 * measurable before the bulk command exists. Streams the input in batches, so it runs at -Xmx64m.
 *
 * <p>Usage: {@code java -Xmx64m -cp target/ruc-cache.jar:CLASSES PadronLookupRate SNAPSHOT CSV OUT [BATCH]}
 */
public class PadronLookupRate {

    public static void main(String[] args) throws IOException {
        Path snapshotFile = Path.of(args[0]);
        Path csv = Path.of(args[1]);
        Path out = Path.of(args[2]);
        int batchSize = args.length > 3 ? Integer.parseInt(args[3]) : 10_000;
        long started = System.nanoTime();
        long rows = 0;
        long found = 0;
        try (Snapshot snapshot = Snapshot.open(snapshotFile);
                PadronProvider provider = new PadronProvider(snapshot);
                BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
                BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            in.readLine();
            List<Ruc> batch = new ArrayList<>(batchSize);
            String line;
            while (true) {
                line = in.readLine();
                if (line != null) {
                    batch.add(new Ruc(line.strip()));
                }
                if (batch.size() == batchSize || line == null && !batch.isEmpty()) {
                    Map<Ruc, ProviderAnswer> answers = provider.fetchAll(batch);
                    for (Ruc ruc : batch) {
                        ProviderAnswer a = answers.get(ruc);
                        w.write(ruc.value());
                        if (a instanceof ProviderAnswer.Found f) {
                            TaxpayerRecord r = f.record();
                            found++;
                            w.write(",VALID,," + cell(r.razonSocial()) + "," + cell(r.estado()) + ","
                                    + cell(r.condicion()) + "," + cell(r.direccion()) + "," + cell(r.ubigeo()));
                        } else {
                            w.write(",INVALID,NOT_FOUND,,,,,");
                        }
                        w.newLine();
                        rows++;
                    }
                    batch.clear();
                }
                if (line == null) {
                    break;
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "%d RUCs (%d found) in %.2f s: %.0f RUCs/s%n", rows, found, seconds,
                rows / seconds);
    }

    private static String cell(String value) {
        if (value == null) {
            return "";
        }
        return value.indexOf(',') >= 0 || value.indexOf('"') >= 0 ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }
}
