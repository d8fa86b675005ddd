#!/usr/bin/env bash
# Regenerates the demo and test certificates in this directory: a CA and a
# server certificate it signs, for localhost, 127.0.0.1 and *.gw.test; SNI
# certificates for a.test and b.test; a client CA and a client certificate;
# an OCSP response for the server certificate.
# These keys are public (they are in the repository): never use them in production.
set -euo pipefail
cd "$(dirname "$0")"
days=36500
openssl ecparam -name prime256v1 -genkey -noout -out ca.key.tmp
openssl pkcs8 -topk8 -nocrypt -in ca.key.tmp -out ca.key && rm ca.key.tmp
openssl req -x509 -new -key ca.key -sha256 -days "$days" -subj "/CN=gw test CA" -out ca.crt
openssl ecparam -name prime256v1 -genkey -noout -out server.key.tmp
openssl pkcs8 -topk8 -nocrypt -in server.key.tmp -out server.key && rm server.key.tmp
openssl req -new -key server.key -subj "/CN=gw.test" -out server.csr
cat > server.ext <<'EXT'
basicConstraints = CA:FALSE
keyUsage = digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, DNS:gw.test, DNS:*.gw.test, IP:127.0.0.1
EXT
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -sha256 -days "$days" -extfile server.ext -out server.crt
rm -f server.csr server.ext ca.srl

# Two more server certificates for SNI tests (issue 17): a.test, and b.test
# with *.b.test; signed by the same CA.
for name in a b; do
  openssl ecparam -name prime256v1 -genkey -noout -out "$name.key.tmp"
  openssl pkcs8 -topk8 -nocrypt -in "$name.key.tmp" -out "$name.key" && rm "$name.key.tmp"
  openssl req -new -key "$name.key" -subj "/CN=$name.test" -out "$name.csr"
  if [ "$name" = b ]; then san="DNS:b.test, DNS:*.b.test"; else san="DNS:a.test"; fi
  printf 'basicConstraints = CA:FALSE\nkeyUsage = digitalSignature\nextendedKeyUsage = serverAuth\nsubjectAltName = %s\n' "$san" > "$name.ext"
  openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -sha256 -days "$days" -extfile "$name.ext" -out "$name.crt"
  rm -f "$name.csr" "$name.ext" ca.srl
done

# A CA for client certificates (mTLS), and a client certificate it signs.
openssl ecparam -name prime256v1 -genkey -noout -out clients-ca.key.tmp
openssl pkcs8 -topk8 -nocrypt -in clients-ca.key.tmp -out clients-ca.key && rm clients-ca.key.tmp
openssl req -x509 -new -key clients-ca.key -sha256 -days "$days" -subj "/CN=gw test clients CA" -out clients-ca.crt
openssl ecparam -name prime256v1 -genkey -noout -out client.key.tmp
openssl pkcs8 -topk8 -nocrypt -in client.key.tmp -out client.key && rm client.key.tmp
openssl req -new -key client.key -subj "/O=gw tests/CN=alice" -out client.csr
printf 'basicConstraints = CA:FALSE\nkeyUsage = digitalSignature\nextendedKeyUsage = clientAuth\nsubjectAltName = URI:spiffe://gw.test/alice, email:alice@gw.test\n' > client.ext
openssl x509 -req -in client.csr -CA clients-ca.crt -CAkey clients-ca.key -CAcreateserial -sha256 -days "$days" -extfile client.ext -out client.crt
rm -f client.csr client.ext clients-ca.srl

# An OCSP response for server.crt ("good", signed by the CA), for stapling
# tests: the CA answers for its own certificate.
serial=$(openssl x509 -in server.crt -noout -serial | cut -d= -f2)
expiry=$(date -u -d "$(openssl x509 -in server.crt -noout -enddate | cut -d= -f2)" +%Y%m%d%H%M%SZ)
printf 'V\t%s\t\t%s\tunknown\t/CN=gw.test\n' "$expiry" "$serial" > ocsp-index.txt
openssl ocsp -issuer ca.crt -cert server.crt -no_nonce -reqout ocsp-request.der
openssl ocsp -index ocsp-index.txt -CA ca.crt -rsigner ca.crt -rkey ca.key -reqin ocsp-request.der \
  -respout server.ocsp.der -ndays 36500
rm -f ocsp-index.txt ocsp-index.txt.attr ocsp-request.der
