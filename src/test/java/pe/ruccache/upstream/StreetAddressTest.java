package pe.ruccache.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class StreetAddressTest {

    @Test
    void endsWithDepartamentoProvinciaDistrito_suffixRemoved() {
        assertEquals("AV. JAVIER PRADO ESTE NRO. 4200", StreetAddress.of(
                "AV. JAVIER PRADO ESTE NRO. 4200 LIMA LIMA SAN ISIDRO", "LIMA", "LIMA", "SAN ISIDRO"));
    }

    @Test
    void suffixWithExtraSpacesAndOtherCase_stillRemoved() {
        assertEquals("JR. HUARAZ NRO. 1520", StreetAddress.of(
                "JR. HUARAZ NRO. 1520   Lima  LIMA BREÑA ", "LIMA", "LIMA", "breña"));
    }

    @Test
    void alreadyStreetLevel_unchanged() {
        assertEquals("AV. GARCILASO DE LA VEGA NRO. 1472", StreetAddress.of(
                "AV. GARCILASO DE LA VEGA NRO. 1472", "LIMA", "LIMA", "LIMA"));
    }

    @Test
    void onlyTheLocation_unchangedRatherThanEmptied() {
        assertEquals("LIMA LIMA LIMA", StreetAddress.of("LIMA LIMA LIMA", "LIMA", "LIMA", "LIMA"));
    }

    @Test
    void locationUnknown_unchanged() {
        assertEquals("CAL. LOS PINOS 123 AREQUIPA", StreetAddress.of("CAL. LOS PINOS 123 AREQUIPA", "-", null, ""));
    }

    @Test
    void dashAddress_null() {
        assertNull(StreetAddress.of("-", "LIMA", "LIMA", "LIMA"));
    }
}
