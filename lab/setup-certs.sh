#!/usr/bin/env bash
# Makes the lab's keys in lab/keys: a CA, the upstream's certificate
# (advanced.pingora.local, *.api.pingora.local, 172.28.0.22), gRPC's, and a
# client certificate for mTLS (lesson 21). Run once before `docker compose up`.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p keys && cd keys
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 -subj "/CN=Pingora Root CA" 2>/dev/null
issue() { # name, subject, subjectAltName
  openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "/CN=$2" 2>/dev/null
  printf 'subjectAltName=%s\n' "$3" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -out "$1.crt" -extfile "$1.ext" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}
issue upstream advanced.pingora.local "DNS:advanced.pingora.local,DNS:*.api.pingora.local,IP:172.28.0.22"
issue grpc grpc.pingora.local "DNS:grpc.pingora.local,IP:172.28.0.23"
issue client PingoraClient "DNS:client.pingora.local"
rm -f ca.srl
echo "lab keys in $(pwd)"
