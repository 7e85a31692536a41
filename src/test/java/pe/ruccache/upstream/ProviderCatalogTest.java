package pe.ruccache.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import pe.ruccache.core.ConfigException;

class ProviderCatalogTest {

    @Test
    void networkProviders_inDocumentedOrder() {
        assertEquals(List.of("migo", "decolecta", "apisnet"), ProviderCatalog.networkProviders());
    }

    @Test
    void defaultBaseUrls_asDocumented() {
        assertEquals(URI.create("https://api.migo.pe/api/v2"), ProviderCatalog.defaultBaseUrl("migo"));
        assertEquals(URI.create("https://api.decolecta.com/v1"), ProviderCatalog.defaultBaseUrl("decolecta"));
        assertEquals(URI.create("https://api.apis.net.pe/v2"), ProviderCatalog.defaultBaseUrl("apisnet"));
    }

    @Test
    void keyNames_followTheConfigurationContract() {
        assertEquals("RUC_CACHE_APISNET_TOKEN", ProviderCatalog.tokenEnv("apisnet"));
        assertEquals("RUC_CACHE_APISNET_TOKEN_FILE", ProviderCatalog.tokenFileEnv("apisnet"));
        assertEquals("RUC_CACHE_APISNET_URL", ProviderCatalog.urlEnv("apisnet"));
        assertEquals("apisnet.token", ProviderCatalog.tokenKey("apisnet"));
        assertEquals("apisnet.url", ProviderCatalog.urlKey("apisnet"));
    }

    @Test
    void keyNames_independentOfDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            // Turkish upper-cases i to İ, which would break RUC_CACHE_MIGO_TOKEN.
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));
            assertEquals("RUC_CACHE_MIGO_TOKEN", ProviderCatalog.tokenEnv("migo"));
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void isNetworkProvider_caseInsensitiveAndPadronIsNot() {
        assertTrue(ProviderCatalog.isNetworkProvider(" Decolecta "));
        assertFalse(ProviderCatalog.isNetworkProvider("padron"));
        assertFalse(ProviderCatalog.isNetworkProvider(null));
    }

    @Test
    void padron_knownButNotNetwork_andTheOnlyLocalSnapshot() {
        assertEquals("padron", ProviderCatalog.requireKnown(" Padron "));
        assertEquals(List.of("migo", "decolecta", "apisnet", "padron"), ProviderCatalog.knownProviders());
        assertTrue(ProviderCatalog.isLocalSnapshot("padron"));
        assertFalse(ProviderCatalog.isLocalSnapshot("migo"));
        assertFalse(ProviderCatalog.isLocalSnapshot(null));
        assertThrows(ConfigException.class, () -> ProviderCatalog.defaultBaseUrl("padron"));
    }

    @Test
    void defaultBaseUrl_unknown_configException() {
        assertThrows(ConfigException.class, () -> ProviderCatalog.defaultBaseUrl("sunat"));
    }
}
