#!/usr/bin/env bash
# Regenerates the demo and test certificates in this directory: a CA and a
# server certificate it signs, for localhost, 127.0.0.1 and *.gw.test.
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
