package dev.tuner.vsphere;

import dev.tuner.diag.TunerException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.SAXException;

/** One vim25 SOAP endpoint: envelopes, the session cookie, faults, TLS reporting and retries. */
final class Soap {
    static final String SESSION_COOKIE = "vmware_soap_session";

    /**
     * Calls that only read may be re-sent after a broken connection. Others (tasks, Login, ShutdownGuest)
     * are re-sent only after an HTTP 503, which says the server did not process them: re-sending a
     * ReconfigVM_Task whose answer was lost could apply it twice.
     */
    private static final Set<String> READ_ONLY = Set.of("RetrieveServiceContent", "RetrievePropertiesEx",
            "ContinueRetrievePropertiesEx", "FindByInventoryPath", "FindByUuid", "CreateContainerView",
            "DestroyView", "Logout", "CurrentTime");

    private final URI url;
    private final HttpClient http;
    private final TlsPolicy.CheckingTrustManager trust;
    private final Duration requestTimeout;
    private final int maxRetries;
    private final Duration firstBackoff;
    private volatile String apiVersion = "6.5";
    private volatile String cookie;

    Soap(URI url, TlsPolicy tls, Duration requestTimeout, int maxRetries, Duration firstBackoff) {
        this.url = url;
        this.requestTimeout = requestTimeout;
        this.maxRetries = maxRetries;
        this.firstBackoff = firstBackoff;
        TlsPolicy.CheckingTrustManager[] tm = new TlsPolicy.CheckingTrustManager[1];
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NEVER);
        if ("https".equalsIgnoreCase(url.getScheme())) {
            b.sslContext(tls.sslContext(tm));
        }
        this.trust = tm[0];
        this.http = b.build();
    }

    URI url() {
        return url;
    }

    void apiVersion(String v) {
        this.apiVersion = v;
    }

    String apiVersion() {
        return apiVersion;
    }

    String cookie() {
        return cookie;
    }

    /** Calls a method on a managed object; returns the {@code <MethodResponse>} element. */
    Element call(String method, MoRef self, String argsXml) {
        String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<soapenv:Envelope xmlns:soapenv=\"" + Xml.SOAPENV + "\" xmlns:xsd=\"" + Xml.XSD
                + "\" xmlns:xsi=\"" + Xml.XSI + "\"><soapenv:Body>"
                + "<" + method + " xmlns=\"" + Xml.VIM25 + "\">" + self.toXml("_this") + argsXml + "</" + method + ">"
                + "</soapenv:Body></soapenv:Envelope>";
        HttpResponse<byte[]> resp = send(method, body);
        Document doc;
        try {
            doc = Xml.parse(resp.body());
        } catch (SAXException | IOException e) {
            throw new TunerException(method + ": the server at " + url + " answered HTTP " + resp.statusCode()
                    + " with something that is not SOAP XML (" + e.getMessage() + ")" + snippet(resp.body()));
        }
        Element soapBody = Xml.child(doc.getDocumentElement(), "Body");
        if (soapBody == null) {
            throw new TunerException(method + ": the server at " + url + " answered without a SOAP body");
        }
        Element fault = Xml.child(soapBody, "Fault");
        if (fault != null) {
            throw fault(method, fault);
        }
        if (resp.statusCode() != 200) {
            throw new TunerException(method + ": HTTP " + resp.statusCode() + " from " + url + snippet(resp.body()));
        }
        Element result = Xml.child(soapBody, method + "Response");
        if (result == null) {
            throw new TunerException(method + ": the server's answer has no " + method + "Response element");
        }
        return result;
    }

    private HttpResponse<byte[]> send(String method, String body) {
        Duration backoff = firstBackoff;
        for (int attempt = 0; ; attempt++) {
            HttpRequest.Builder rb = HttpRequest.newBuilder(url)
                    .timeout(requestTimeout)
                    .header("Content-Type", "text/xml; charset=utf-8")
                    // vSphere picks the API version of its answer from this header.
                    .header("SOAPAction", "\"urn:vim25/" + apiVersion + "\"")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            String c = cookie;
            if (c != null) {
                rb.header("Cookie", SESSION_COOKIE + "=" + c);
            }
            boolean retry;
            String why;
            try {
                HttpResponse<byte[]> resp = http.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
                remember(resp);
                int sc = resp.statusCode();
                if (sc != 502 && sc != 503 && sc != 504) {
                    return resp;
                }
                retry = sc == 503 || READ_ONLY.contains(method);
                why = "HTTP " + sc;
                if (!retry || attempt >= maxRetries) {
                    throw new TunerException(method + ": " + url + " answered HTTP " + sc
                            + (attempt > 0 ? " (after " + (attempt + 1) + " attempts)" : "") + snippet(resp.body()));
                }
            } catch (SSLHandshakeException e) {
                if (isVerificationFailure(e)) {
                    throw tlsFailure(e);
                }
                // The peer hung up during the handshake: nothing reached the server.
                retry = true;
                why = describe(e);
                if (attempt >= maxRetries) {
                    throw new TunerException(method + ": connection to " + url + " failed: " + why
                            + " (after " + (attempt + 1) + " attempts)", e);
                }
            } catch (SSLException e) {
                throw new TunerException("TLS error talking to " + url + ": " + e.getMessage(), e);
            } catch (HttpTimeoutException e) {
                throw new TunerException(method + ": no answer from " + url + " within " + requestTimeout.toSeconds() + "s", e);
            } catch (ConnectException e) {
                // Nothing reached the server, so any call may be re-sent.
                retry = true;
                why = "connection refused";
                if (attempt >= maxRetries) {
                    throw new TunerException(method + ": cannot connect to " + url + ": " + describe(e)
                            + " (after " + (attempt + 1) + " attempts)", e);
                }
            } catch (IOException e) {
                if (e.getCause() instanceof SSLHandshakeException h && isVerificationFailure(h)) {
                    throw tlsFailure(h);
                }
                retry = READ_ONLY.contains(method);
                why = describe(e);
                if (!retry || attempt >= maxRetries) {
                    throw new TunerException(method + ": connection to " + url + " failed: " + why
                            + (retry ? " (after " + (attempt + 1) + " attempts)" : " (not re-sent: the server may have acted on it)"), e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TunerException(method + ": interrupted", e);
            }
            sleep(backoff);
            backoff = backoff.multipliedBy(2);
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TunerException("interrupted", e);
        }
    }

    private void remember(HttpResponse<?> resp) {
        for (String h : resp.headers().allValues("Set-Cookie")) {
            for (HttpCookie hc : HttpCookie.parse(h)) {
                if (SESSION_COOKIE.equals(hc.getName())) {
                    cookie = hc.getValue();
                }
            }
        }
    }

    /** A refused certificate, as opposed to a connection that broke during the handshake. */
    private static boolean isVerificationFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.security.cert.CertificateException) {
                return true;
            }
        }
        return false;
    }

    private TunerException tlsFailure(SSLHandshakeException e) {
        String presented = trust == null ? null : trust.presented;
        if (trust != null && trust.pin() != null && presented != null && !presented.equals(trust.pin())) {
            return new TunerException("TLS: " + url.getHost() + " presented a certificate with SHA-256 thumbprint "
                    + presented + ", which does not match the pinned thumbprint " + trust.pin()
                    + ". If the server's certificate was replaced on purpose, update `thumbprint:` in the vsphere endpoint.", e);
        }
        return new TunerException("TLS: cannot verify the certificate of " + url.getHost() + ": " + rootMessage(e)
                + (presented == null ? "" : ". Its SHA-256 thumbprint is " + presented
                        + "; if you trust it, pin it with `thumbprint:` or give the issuing CA as `ca_file:`"), e);
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r.getMessage();
    }

    /** A SOAP fault as a VimFault named after the detail's xsi:type (the real type; the element name varies). */
    static VimFault fault(String method, Element fault) {
        String faultString = Xml.text(fault, "faultstring");
        Element detail = Xml.child(fault, "detail");
        Element f = detail == null || Xml.children(detail).isEmpty() ? null : Xml.children(detail).get(0);
        String type = null;
        if (f != null) {
            type = Xml.xsiType(f);
            if (type == null) {
                type = f.getLocalName().endsWith("Fault")
                        ? f.getLocalName().substring(0, f.getLocalName().length() - 5) : f.getLocalName();
            }
        }
        if (type == null) {
            type = "SoapFault";
        }
        return new VimFault(type, describeFault(faultString, f) + " (in " + method + ")");
    }

    /**
     * The server's message, or when it has none worth showing (vcsim sends "*types.InvalidDeviceSpec"),
     * the fault's own fields ("deviceIndex=0", "requestedState=poweredOn").
     */
    static String describeFault(String message, Element faultElement) {
        String type = faultElement == null ? null : Xml.xsiType(faultElement);
        if (message != null && !message.isBlank() && !message.strip().matches("\\*?types\\.\\w+")
                && !message.strip().equals(type)) {
            return message.strip();
        }
        List<String> fields = new ArrayList<>();
        if (faultElement != null) {
            for (Element c : Xml.children(faultElement)) {
                if (Xml.children(c).isEmpty() && !"faultMessage".equals(c.getLocalName())) {
                    fields.add(c.getLocalName() + "=" + c.getTextContent().strip());
                }
            }
        }
        return fields.isEmpty() ? "the server gave no details" : String.join(", ", fields);
    }

    private static String snippet(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8).strip();
        if (s.isEmpty()) {
            return "";
        }
        return ": " + (s.length() > 300 ? s.substring(0, 300) + "..." : s);
    }

    /** The newest vim25 version the server supports, from vimServiceVersions.xml (as pyvmomi does), or null. */
    String discoverVersion() {
        URI u = url.resolve(url.getPath().replaceAll("/+$", "") + "/vimServiceVersions.xml");
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(u).timeout(requestTimeout).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                return null;
            }
            Document d = Xml.parse(r.body());
            for (Element ns : Xml.children(d.getDocumentElement(), "namespace")) {
                if ("urn:vim25".equals(Xml.text(ns, "name"))) {
                    String v = Xml.text(ns, "version");
                    Matcher m = Pattern.compile("[0-9][0-9A-Za-z.]*").matcher(v == null ? "" : v.strip());
                    return m.matches() ? v.strip() : null;
                }
            }
            return null;
        } catch (IOException e) {
            SSLHandshakeException h = e instanceof SSLHandshakeException x ? x
                    : e.getCause() instanceof SSLHandshakeException y ? y : null;
            if (h != null && isVerificationFailure(h)) {
                throw tlsFailure(h);
            }
            // Any other failure shows again, with its retries, on the first SOAP call.
            return null;
        } catch (SAXException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TunerException("interrupted", e);
        }
    }
}
