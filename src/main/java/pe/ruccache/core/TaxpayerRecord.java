package pe.ruccache.core;

import java.time.Instant;

/**
 * What SUNAT knows of a taxpayer, independent of the provider that told us. Absent fields are null;
 * estado and condición are trimmed strings because sources truncate them to 20 characters.
 *
 * @param ruc the RUC
 * @param razonSocial legal name
 * @param estado taxpayer state, e.g. ACTIVO
 * @param condicion address condition, e.g. HABIDO
 * @param ubigeo six-digit INEI location code
 * @param direccion address as one line
 * @param departamento region
 * @param provincia province
 * @param distrito district
 * @param dataAsOf when the source's data was current, if it says
 */
public record TaxpayerRecord(
        String ruc,
        String razonSocial,
        String estado,
        String condicion,
        String ubigeo,
        String direccion,
        String departamento,
        String provincia,
        String distrito,
        Instant dataAsOf) {

    /** Trims every text field and turns blanks and SUNAT's {@code -} into null. */
    public TaxpayerRecord {
        razonSocial = clean(razonSocial);
        estado = clean(estado);
        condicion = clean(condicion);
        ubigeo = clean(ubigeo);
        direccion = clean(direccion);
        departamento = clean(departamento);
        provincia = clean(provincia);
        distrito = clean(distrito);
    }

    /** Returns whether the estado is ACTIVO. */
    public boolean isActive() {
        return "ACTIVO".equalsIgnoreCase(estado);
    }

    /** Returns whether the condición de domicilio is HABIDO. */
    public boolean isHabido() {
        return "HABIDO".equalsIgnoreCase(condicion);
    }

    /** Returns {@code value} trimmed, or null when blank or a lone run of hyphens. */
    public static String clean(String value) {
        if (value == null) {
            return null;
        }
        String s = value.strip();
        // A loop, not a stream: this runs for every field of every record read from the store.
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) != '-') {
                return s;
            }
        }
        return null;
    }
}
