package pe.ruccache.upstream;

import okhttp3.HttpUrl;

/**
 * apis.net.pe v2: {@code GET {base}/sunat/ruc?numero={ruc}} with a Bearer token. The same backend as decolecta,
 * whose request it shares; its camelCase keys ({@code razonSocial}, {@code numeroDocumento}) are read by the
 * decolecta body's aliases.
 */
final class ApisNetProvider extends DecolectaProvider {

    ApisNetProvider(HttpUrl baseUrl, Token token, Shared shared) {
        super(ProviderCatalog.APISNET, baseUrl, token, shared);
    }
}
