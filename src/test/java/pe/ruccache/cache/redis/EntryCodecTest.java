package pe.ruccache.cache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import pe.ruccache.cache.CacheEntry;
import pe.ruccache.core.Reason;
import pe.ruccache.core.Status;
import pe.ruccache.core.TaxpayerRecord;

/** The value format: what goes in comes back, compactly, and what this version cannot read is said so. */
class EntryCodecTest {

    private static final Instant FETCHED = Instant.parse("2026-11-25T15:00:00.123Z");
    private static final String RUC = "20100038146";

    @Test
    void roundTrip_typicalValidAnswer_everyFieldBackInUnder150Bytes() {
        CacheEntry entry = new CacheEntry(RUC, "migo", Status.VALID, null, null, new TaxpayerRecord(RUC,
                "CONTINENTAL S.A.C.", "ACTIVO", "HABIDO", "150131",
                "AV. JAVIER PRADO ESTE NRO. 4200 URB. SANTA CATALINA", "LIMA", "LIMA", "SAN ISIDRO",
                Instant.parse("2024-05-10T13:15:32Z")), FETCHED, FETCHED.plusSeconds(3600));

        byte[] value = EntryCodec.encode(entry);

        assertEquals(entry, EntryCodec.decode(RUC, "migo", value));
        // The README's size and memory figures rest on this (136 bytes today).
        assertTrue(value.length < 150, value.length + " bytes");
    }

    @Test
    void roundTrip_invalidAnswerWithDetailAndUnicode_keptExactly() {
        CacheEntry entry = new CacheEntry(RUC, CacheEntry.MANUAL_PROVIDER, Status.INVALID, Reason.MANUAL,
                "dado de baja por Ñuñoa – “acta” 日本 😀\u001F\u0000", null, FETCHED, FETCHED.plusSeconds(86_400));

        assertEquals(entry, EntryCodec.decode(RUC, CacheEntry.MANUAL_PROVIDER, EntryCodec.encode(entry)));
    }

    @Test
    void roundTrip_instantsBeforeEpochAndFarFuture_kept() {
        CacheEntry entry = new CacheEntry(RUC, "migo", Status.INVALID, Reason.NOT_FOUND, null, null,
                Instant.parse("1969-12-31T23:59:59.999Z"), Instant.ofEpochMilli(Long.MAX_VALUE));

        assertEquals(entry, EntryCodec.decode(RUC, "migo", EntryCodec.encode(entry)));
    }

    @Test
    void decode_newerFormat_saysSo() {
        byte[] value = EntryCodec.encode(new CacheEntry(RUC, "migo", Status.INVALID, Reason.NOT_FOUND, null, null,
                FETCHED, FETCHED));
        value[0] = 2;

        EntryCodec.UnreadableValueException e = assertThrows(EntryCodec.UnreadableValueException.class,
                () -> EntryCodec.decode(RUC, "migo", value));

        assertTrue(e.getMessage().contains("newer ruc-cache"), e.getMessage());
    }

    @Test
    void decode_truncatedOrPaddedOrForeignValue_isUnreadableNotACrash() {
        byte[] value = EntryCodec.encode(new CacheEntry(RUC, "migo", Status.INVALID, Reason.NOT_FOUND, "x", null,
                FETCHED, FETCHED));
        for (int length = 0; length < value.length; length++) {
            byte[] cut = Arrays.copyOf(value, length);
            assertThrows(EntryCodec.UnreadableValueException.class, () -> EntryCodec.decode(RUC, "migo", cut),
                    "length " + length);
        }
        byte[] padded = Arrays.copyOf(value, value.length + 1);
        assertThrows(EntryCodec.UnreadableValueException.class, () -> EntryCodec.decode(RUC, "migo", padded));
        byte[] json = "{\"status\":\"VALID\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThrows(EntryCodec.UnreadableValueException.class, () -> EntryCodec.decode(RUC, "migo", json));
    }

    @Test
    void decode_reasonThisVersionDoesNotKnow_isUnreadable() {
        byte[] value = EntryCodec.encode(new CacheEntry(RUC, "migo", Status.INVALID, Reason.MANUAL, null, null,
                FETCHED, FETCHED));
        // "MANUAL" becomes "MANUAX": the name a newer version might have added.
        value[8] = 'X';

        assertThrows(EntryCodec.UnreadableValueException.class, () -> EntryCodec.decode(RUC, "migo", value));
    }
}
