package pe.ruccache.upstream;

import pe.ruccache.core.TaxpayerRecord;

/**
 * Reduces a provider's one-line address to its street part. Full addresses end with
 * {@code DEPARTAMENTO PROVINCIA DISTRITO}; the record keeps those in their own fields, so repeating them in the
 * address would make one provider's cache entries read differently from another's.
 */
final class StreetAddress {

    private StreetAddress() {
    }

    /**
     * Returns {@code direccion} without a trailing "departamento provincia distrito" when it ends with exactly
     * those words; otherwise returns it unchanged (trimmed), so an address in another shape is never damaged.
     */
    static String of(String direccion, String departamento, String provincia, String distrito) {
        String address = TaxpayerRecord.clean(direccion);
        String dep = TaxpayerRecord.clean(departamento);
        String prov = TaxpayerRecord.clean(provincia);
        String dist = TaxpayerRecord.clean(distrito);
        if (address == null || dep == null || prov == null || dist == null) {
            return address;
        }
        String collapsed = collapse(address);
        String suffix = " " + collapse(dep) + " " + collapse(prov) + " " + collapse(dist);
        int start = collapsed.length() - suffix.length();
        if (start > 0 && collapsed.regionMatches(true, start, suffix, 0, suffix.length())) {
            return collapsed.substring(0, start).strip();
        }
        return address;
    }

    private static String collapse(String s) {
        return s.strip().replaceAll("\\s+", " ");
    }
}
