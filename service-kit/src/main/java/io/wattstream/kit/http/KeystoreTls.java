package io.wattstream.kit.http;

import io.helidon.common.tls.Tls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A TLS listener's key and certificate chain from a PKCS#12 keystore (what {@code keytool} and
 * {@code openssl pkcs12 -export} write): its one private-key entry. The password is used to open the
 * store and then dropped; it is never part of a message.
 */
public final class KeystoreTls {

    /** The TLS of a listener; {@code what} names the setting in error messages. */
    public static Tls load(Path keystore, char[] password, String what) {
        KeyStore store;
        try (InputStream in = Files.newInputStream(keystore)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(what + ": cannot read the PKCS#12 keystore " + keystore
                    + " (missing, not PKCS#12, or a wrong password)", e);
        }
        try {
            List<String> keys = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    keys.add(alias);
                }
            }
            if (keys.size() != 1) {
                throw new IllegalArgumentException(what + ": the keystore " + keystore + " must hold exactly one private key, it has "
                        + keys.size());
            }
            String alias = keys.get(0);
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : store.getCertificateChain(alias)) {
                chain.add((X509Certificate) c);
            }
            return Tls.builder()
                    .privateKey((PrivateKey) store.getKey(alias, password))
                    .privateKeyCertChain(chain)
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(what + ": cannot take the key out of " + keystore + " (its key password must be the store's)", e);
        }
    }

    private KeystoreTls() {
    }
}
