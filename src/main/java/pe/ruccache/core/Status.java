package pe.ruccache.core;

/** The three kinds of answer a lookup can give. */
public enum Status {
    /** The taxpayer exists at SUNAT. */
    VALID,
    /** Definitively not a usable RUC. */
    INVALID,
    /** The answer could not be obtained now; never cached as invalid. */
    ERROR
}
