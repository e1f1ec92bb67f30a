// vcsim for tuner's tests: the govmomi vCenter simulator (Debian's golang-github-vmware-govmomi-dev)
// served over TLS with a certificate made at start, a fixed login, and an optional SOAP trace.
// It prints one line "VCSIM_READY url=<url> thumbprint=<sha256> cert=<pem file>" once it accepts requests,
// and stops when its standard input closes, so a test run that dies never leaves it behind.
package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/vmware/govmomi/simulator"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address:port to listen on (port 0 = any free port)")
	user := flag.String("username", "tuner", "the only user name accepted")
	pass := flag.String("password", "tuner-secret", "the only password accepted")
	certOut := flag.String("cert-out", "", "write the server certificate (PEM) here")
	trace := flag.String("trace", "", "append every SOAP request and response to this file")
	flag.Parse()

	cert, der := selfSigned()
	if *certOut != "" {
		pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
		if err := os.WriteFile(*certOut, pemBytes, 0o644); err != nil {
			log.Fatal(err)
		}
	}
	if *trace != "" {
		f, err := os.OpenFile(*trace, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			log.Fatal(err)
		}
		simulator.Trace, simulator.TraceFile = true, f
	}

	model := simulator.VPX()
	if err := model.Create(); err != nil {
		log.Fatal(err)
	}
	// A user in Listen makes vcsim refuse every other login (without one it accepts any).
	model.Service.Listen = &url.URL{Host: *listen, User: url.UserPassword(*user, *pass)}
	model.Service.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	server := model.Service.NewServer()

	sum := sha256.Sum256(der)
	hexes := make([]string, len(sum))
	for i, b := range sum {
		hexes[i] = fmt.Sprintf("%02X", b)
	}
	u := *server.URL
	u.User = nil
	fmt.Printf("VCSIM_READY url=%s thumbprint=%s cert=%s\n", u.String(), strings.Join(hexes, ":"), *certOut)

	io.Copy(io.Discard, os.Stdin)
	server.Close()
	model.Remove()
}

// selfSigned makes a CA-flagged certificate for 127.0.0.1 and localhost, so tests can verify it
// either through a CA file or by pinning its thumbprint.
func selfSigned() (tls.Certificate, []byte) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "vcsim"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		log.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, der
}
