package dev.tuner.vsphere;

import dev.tuner.diag.TunerException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How the server's certificate is checked: against the JDK trust store (default), against a CA file,
 * by SHA-256 thumbprint pinning as govc does, or not at all when the user explicitly asked for it.
 */
public final class TlsPolicy {
    enum Mode { SYSTEM, CA_FILE, PINNED, INSECURE }

    private final Mode mode;
    private final Path caFile;
    private final String thumbprint;

    private TlsPolicy(Mode mode, Path caFile, String thumbprint) {
        this.mode = mode;
        this.caFile = caFile;
        this.thumbprint = thumbprint;
    }

    /** Verify the chain and host name against the JDK's trust store. */
    public static TlsPolicy system() {
        return new TlsPolicy(Mode.SYSTEM, null, null);
    }

    /** Verify the chain and host name against the PEM certificates in this file. */
    public static TlsPolicy caFile(Path pem) {
        return new TlsPolicy(Mode.CA_FILE, pem, null);
    }

    /**
     * Accept exactly the server certificate with this SHA-256 thumbprint ("AB:CD:..", colons and case
     * optional). The host name is not checked: the pin identifies the server better than a name does.
     */
    public static TlsPolicy pinned(String sha256Thumbprint) {
        return new TlsPolicy(Mode.PINNED, null, normalize(sha256Thumbprint));
    }

    /** No verification at all. Only when the user wrote {@code insecure: true}; the caller warns. */
    public static TlsPolicy insecure() {
        return new TlsPolicy(Mode.INSECURE, null, null);
    }

    Mode mode() {
        return mode;
    }

    public boolean isInsecure() {
        return mode == Mode.INSECURE;
    }

    /** The SHA-256 thumbprint of a certificate as govc prints it: upper-case hex pairs joined by colons. */
    public static String thumbprint(X509Certificate cert) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
        } catch (NoSuchAlgorithmException | CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    static String normalize(String thumbprint) {
        String hex = thumbprint.replace(":", "").replace(" ", "").toUpperCase(Locale.ROOT);
        if (!hex.matches("[0-9A-F]*")) {
            throw new TunerException("thumbprint '" + thumbprint + "' is not hexadecimal (expected 32 bytes as AB:CD:...)");
        }
        if (hex.length() == 40) {
            throw new TunerException("thumbprint '" + thumbprint + "' is a SHA-1 thumbprint; give the SHA-256 one "
                    + "(e.g. `openssl x509 -noout -fingerprint -sha256`)");
        }
        if (hex.length() != 64) {
            throw new TunerException("thumbprint '" + thumbprint + "' has " + hex.length() / 2
                    + " bytes; a SHA-256 thumbprint has 32");
        }
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(HexFormat.of().parseHex(hex));
    }

    /**
     * The SSL context for this policy. Its trust manager is returned through {@code tmOut} so that a
     * failed handshake can be reported with the thumbprint the server presented.
     */
    SSLContext sslContext(CheckingTrustManager[] tmOut) {
        try {
            X509ExtendedTrustManager delegate = switch (mode) {
                case SYSTEM -> defaultTrustManager(null);
                case CA_FILE -> defaultTrustManager(caKeyStore());
                case PINNED, INSECURE -> null;
            };
            CheckingTrustManager tm = new CheckingTrustManager(mode == Mode.PINNED ? thumbprint : null, delegate);
            tmOut[0] = tm;
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {tm}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new TunerException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static X509ExtendedTrustManager defaultTrustManager(KeyStore ks) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("the JDK offers no X509ExtendedTrustManager");
    }

    private KeyStore caKeyStore() throws GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            ks.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(caFile)) {
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca" + i++, c);
            }
            if (i == 0) {
                throw new TunerException("ca_file " + caFile + " holds no PEM certificate");
            }
        } catch (IOException e) {
            throw new TunerException("cannot read ca_file " + caFile + ": " + e.getMessage(), e);
        } catch (CertificateException e) {
            throw new TunerException("ca_file " + caFile + " is not a PEM certificate file: " + e.getMessage(), e);
        }
        return ks;
    }

    /**
     * Records the thumbprint the server presents, then pins it, delegates to a verifying trust manager,
     * or (insecure) accepts it. It has to be an X509ExtendedTrustManager: the JDK wraps a plain
     * X509TrustManager in one that still checks the host name, which a pinned self-signed ESXi
     * certificate usually fails. The delegate, itself extended, does check the host name.
     */
    static final class CheckingTrustManager extends X509ExtendedTrustManager {
        private final String pin;
        private final X509ExtendedTrustManager delegate;
        volatile String presented;

        CheckingTrustManager(String pin, X509ExtendedTrustManager delegate) {
            this.pin = pin;
            this.delegate = delegate;
        }

        String pin() {
            return pin;
        }

        private boolean record(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("server presented no certificate");
            }
            presented = thumbprint(chain[0]);
            if (pin != null) {
                if (!pin.equals(presented)) {
                    throw new CertificateException("server certificate thumbprint " + presented
                            + " does not match the pinned " + pin);
                }
                return false;
            }
            return delegate != null;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            if (record(chain)) {
                delegate.checkServerTrusted(chain, authType, socket);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            if (record(chain)) {
                delegate.checkServerTrusted(chain, authType, engine);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (record(chain)) {
                delegate.checkServerTrusted(chain, authType);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate == null ? new X509Certificate[0] : delegate.getAcceptedIssuers();
        }
    }
}
