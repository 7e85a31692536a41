package pe.ruccache.upstream;

/** Response bodies in the exact shapes of docs/DESIGN.md §6, with realistic values; the CLI tests use them too. */
public final class RecordedBodies {

    private RecordedBodies() {
    }

    /** APIMIGO v2, 200, CONTINENTAL S.A.C. */
    public static final String MIGO_CONTINENTAL = """
            {
              "success": true,
              "ruc": "20100038146",
              "nombre_o_razon_social": "CONTINENTAL S.A.C.",
              "estado_del_contribuyente": "ACTIVO",
              "condicion_de_domicilio": "HABIDO",
              "ubigeo": "150131",
              "tipo_de_via": "AV.",
              "nombre_de_via": "JAVIER PRADO ESTE",
              "codigo_de_zona": "URB.",
              "tipo_de_zona": "SANTA CATALINA",
              "numero": "4200",
              "interior": "-",
              "lote": "-",
              "dpto": "-",
              "manzana": "-",
              "kilometro": "-",
              "distrito": "SAN ISIDRO",
              "provincia": "LIMA",
              "departamento": "LIMA",
              "direccion_simple": "AV. JAVIER PRADO ESTE NRO. 4200 URB. SANTA CATALINA",
              "direccion": "AV. JAVIER PRADO ESTE NRO. 4200 URB. SANTA CATALINA LIMA LIMA SAN ISIDRO",
              "actualizado_en": "2024-05-10 08:15:32"
            }
            """;

    /**
     * APIMIGO v2, 200, a company closed for multiple registration: truncated estado and condición, Ñ in the name
     * and district, padded values, and {@code direccion_simple} null so the full address is the only one.
     */
    public static final String MIGO_BAJA_BRENA = """
            {
              "success": true,
              "ruc": "20601234565",
              "nombre_o_razon_social": "PANIFICADORA LA ÑUSTA E.I.R.L. ",
              "estado_del_contribuyente": "BAJA MULT.INSCR. Y O",
              "condicion_de_domicilio": "NO HALLADO SE MUDO D",
              "ubigeo": "150105",
              "tipo_de_via": "JR.",
              "nombre_de_via": "HUARAZ",
              "codigo_de_zona": "-",
              "tipo_de_zona": "-",
              "numero": "1520",
              "interior": "-",
              "lote": "-",
              "dpto": "-",
              "manzana": "-",
              "kilometro": "-",
              "distrito": "BREÑA",
              "provincia": "LIMA",
              "departamento": "LIMA",
              "direccion_simple": null,
              "direccion": "JR. HUARAZ NRO. 1520  LIMA LIMA BREÑA",
              "actualizado_en": "2024-11-30 23:59:59"
            }
            """;

    /** APIMIGO v2, 404. */
    public static final String MIGO_NOT_FOUND = """
            {"success": false, "message": "No se encontró el RUC consultado"}
            """;

    /** APIMIGO v2, 422. */
    public static final String MIGO_UNPROCESSABLE = """
        {"success": false, "message": "The given data was invalid.", "errors": {"ruc": ["El campo ruc no es válido."]}}
        """;

    /** APIMIGO v2, 200 that is not a valid answer. */
    public static final String MIGO_SUCCESS_FALSE = """
            {"success": false, "message": "No se pudo procesar la consulta"}
            """;

    /** APIMIGO v2, 401. */
    public static final String MIGO_UNAUTHENTICATED = """
            {"message": "Unauthenticated."}
            """;

    /** decolecta, 200, SUNAT. */
    public static final String DECOLECTA_SUNAT = """
            {
              "razon_social": "SUPERINTENDENCIA NACIONAL DE ADUANAS Y DE ADMINISTRACION TRIBUTARIA - SUNAT",
              "numero_documento": "20131312955",
              "estado": "ACTIVO",
              "condicion": "HABIDO",
              "direccion": "AV. GARCILASO DE LA VEGA NRO. 1472 LIMA LIMA LIMA",
              "ubigeo": "150101",
              "via_tipo": "AV.",
              "via_nombre": "GARCILASO DE LA VEGA",
              "zona_codigo": "-",
              "zona_tipo": "-",
              "numero": "1472",
              "interior": "-",
              "lote": "-",
              "dpto": "-",
              "manzana": "-",
              "kilometro": "-",
              "distrito": "LIMA",
              "provincia": "LIMA",
              "departamento": "LIMA",
              "es_agente_retencion": false,
              "es_buen_contribuyente": false,
              "locales_anexos": null
            }
            """;

    /** decolecta, 200, CONTINENTAL S.A.C. */
    public static final String DECOLECTA_CONTINENTAL = """
            {
              "razon_social": "CONTINENTAL S.A.C.",
              "numero_documento": "20100038146",
              "estado": "ACTIVO",
              "condicion": "HABIDO",
              "direccion": "AV. JAVIER PRADO ESTE NRO. 4200 URB. SANTA CATALINA",
              "ubigeo": "150131",
              "via_tipo": "AV.",
              "via_nombre": "JAVIER PRADO ESTE",
              "zona_codigo": "URB.",
              "zona_tipo": "SANTA CATALINA",
              "numero": "4200",
              "interior": "-",
              "lote": "-",
              "dpto": "-",
              "manzana": "-",
              "kilometro": "-",
              "distrito": "SAN ISIDRO",
              "provincia": "LIMA",
              "departamento": "LIMA",
              "es_agente_retencion": true,
              "es_buen_contribuyente": true,
              "locales_anexos": null
            }
            """;

    /** decolecta, 404. */
    public static final String DECOLECTA_NOT_FOUND = """
            {"message":"not found"}
            """;

    /** decolecta, 422. */
    public static final String DECOLECTA_UNPROCESSABLE = """
            {"message":"ruc no valido"}
            """;

    /** apis.net.pe v2, 200, a person's RUC (10 + DNI) with an accent in the name and a dash-only address. */
    public static final String APISNET_PERSON = """
            {
              "razonSocial": "QUISPE MAMANI JOSÉ ANTONIO",
              "tipoDocumento": "6",
              "numeroDocumento": "10072345679",
              "estado": "ACTIVO",
              "condicion": "HABIDO",
              "direccion": "-",
              "ubigeo": "-",
              "viaTipo": "-",
              "viaNombre": "-",
              "zonaCodigo": "-",
              "zonaTipo": "-",
              "numero": "-",
              "interior": "-",
              "lote": "-",
              "dpto": "-",
              "manzana": "-",
              "kilometro": "-",
              "distrito": "",
              "provincia": "",
              "departamento": "",
              "EsAgenteRetencion": false,
              "EsBuenContribuyente": false,
              "localesAnexos": null
            }
            """;

    /** apis.net.pe v2, 200, SUNAT. */
    public static final String APISNET_SUNAT = """
            {
              "razonSocial": "SUPERINTENDENCIA NACIONAL DE ADUANAS Y DE ADMINISTRACION TRIBUTARIA - SUNAT",
              "tipoDocumento": "6",
              "numeroDocumento": "20131312955",
              "estado": "ACTIVO",
              "condicion": "HABIDO",
              "direccion": "AV. GARCILASO DE LA VEGA NRO. 1472 LIMA LIMA LIMA",
              "ubigeo": "150101",
              "viaTipo": "AV.",
              "viaNombre": "GARCILASO DE LA VEGA",
              "zonaCodigo": "-",
              "zonaTipo": "-",
              "numero": "1472",
              "interior": "-",
              "lote": "-",
              "dpto": "-",
              "manzana": "-",
              "kilometro": "-",
              "distrito": "LIMA",
              "provincia": "LIMA",
              "departamento": "LIMA",
              "EsAgenteRetencion": false,
              "EsBuenContribuyente": false,
              "localesAnexos": null
            }
            """;

    /** What a proxy or captive portal sends with a 200. */
    public static final String HTML_PAGE = """
            <!DOCTYPE html>
            <html><head><title>Mantenimiento</title></head>
            <body><h1>Estamos en mantenimiento</h1></body></html>
            """;
}
