package dev.tuner.vsphere;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/** XML helpers for vim25: a hardened namespace-aware parser, escaping, and re-serialising server elements. */
final class Xml {
    static final String VIM25 = "urn:vim25";
    static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";
    static final String XSD = "http://www.w3.org/2001/XMLSchema";
    static final String SOAPENV = "http://schemas.xmlsoap.org/soap/envelope/";

    private static final DocumentBuilderFactory FACTORY = factory();

    private Xml() {}

    private static DocumentBuilderFactory factory() {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        // vcsim and vSphere write the xsi prefix under different names: only namespace URIs are reliable.
        f.setNamespaceAware(true);
        try {
            // A server's answer must never make us read files or URLs: no DTDs, no external entities.
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser cannot be hardened", e);
        }
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        return f;
    }

    static Document parse(byte[] body) throws SAXException, IOException {
        DocumentBuilder b;
        try {
            b = FACTORY.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
        b.setErrorHandler(null);
        return b.parse(new ByteArrayInputStream(body));
    }

    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** {@code <name>value</name>}, escaped. */
    static String el(String name, Object value) {
        return "<" + name + ">" + esc(String.valueOf(value)) + "</" + name + ">";
    }

    static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

    static List<Element> children(Element parent, String localName) {
        List<Element> out = new ArrayList<>();
        for (Element e : children(parent)) {
            if (localName.equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }

    static Element child(Element parent, String localName) {
        for (Element e : children(parent)) {
            if (localName.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    static String text(Element parent, String localName) {
        Element e = child(parent, localName);
        return e == null ? null : e.getTextContent();
    }

    /** The element at a path of child names, or null. */
    static Element path(Element start, String... names) {
        Element e = start;
        for (String n : names) {
            if (e == null) {
                return null;
            }
            e = child(e, n);
        }
        return e;
    }

    /** The xsi:type of an element without its prefix ("VirtualDisk"), or null. */
    static String xsiType(Element e) {
        String t = e.getAttributeNS(XSI, "type");
        if (t == null || t.isEmpty()) {
            return null;
        }
        int colon = t.indexOf(':');
        return colon < 0 ? t : t.substring(colon + 1);
    }

    /**
     * Writes a server element back as request XML in the vim25 namespace, keeping every child in the
     * server's (WSDL) order and every xsi:type: edits of devices send the device exactly as read, with only
     * the changed fields replaced, so no property the tool does not model is lost or reset.
     */
    static String serialize(Element e, String asName) {
        return serialize(e, asName, Map.of(), null);
    }

    /**
     * Like {@link #serialize(Element, String)}, with the text of some direct children replaced; a child in
     * {@code set} that the element lacks is inserted after the child named {@code insertAfter} (or last).
     */
    static String serialize(Element e, String asName, Map<String, String> set, String insertAfter) {
        StringBuilder out = new StringBuilder();
        write(e, asName, out, set, insertAfter);
        return out.toString();
    }

    private static void write(Element e, String name, StringBuilder out) {
        write(e, name, out, Map.of(), null);
    }

    private static void write(Element e, String name, StringBuilder out, Map<String, String> set, String insertAfter) {
        out.append('<').append(name);
        NamedNodeMap attrs = e.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) {
            Attr a = (Attr) attrs.item(i);
            if (XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(a.getNamespaceURI())) {
                continue; // declarations are re-made by the envelope we write
            }
            if (XSI.equals(a.getNamespaceURI()) && "type".equals(a.getLocalName())) {
                out.append(" xsi:type=\"").append(esc(typeName(e, a.getValue()))).append('"');
            } else if (a.getNamespaceURI() == null) {
                out.append(' ').append(a.getName()).append("=\"").append(esc(a.getValue())).append('"');
            }
        }
        out.append('>');
        boolean hasElements = false;
        Map<String, String> missing = new LinkedHashMap<>(set);
        for (Element c : children(e)) {
            missing.remove(c.getLocalName());
        }
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c) {
                hasElements = true;
                String v = set.get(c.getLocalName());
                if (v != null) {
                    out.append(el(c.getLocalName(), v));
                } else {
                    write(c, c.getLocalName(), out);
                }
                if (c.getLocalName().equals(insertAfter)) {
                    missing.forEach((k, val) -> out.append(el(k, val)));
                    missing.clear();
                }
            }
        }
        missing.forEach((k, val) -> out.append(el(k, val)));
        if (!hasElements && set.isEmpty()) {
            out.append(esc(e.getTextContent()));
        }
        out.append("</").append(name).append('>');
    }

    /** Maps a type QName to the prefixes our envelope declares: vim25 types bare, XML Schema types as xsd:. */
    private static String typeName(Element context, String qname) {
        int colon = qname.indexOf(':');
        String prefix = colon < 0 ? null : qname.substring(0, colon);
        String local = colon < 0 ? qname : qname.substring(colon + 1);
        String ns = context.lookupNamespaceURI(prefix);
        if (XSD.equals(ns)) {
            return "xsd:" + local;
        }
        return local;
    }
}
