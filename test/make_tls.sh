#!/bin/sh
# make_tls.sh DIR: throwaway TLS material for the emulator's https listener (test/emulator.py
# --https-port), made with the openssl CLI:
#   DIR/ca.pem, DIR/ca.key            a test CA
#   DIR/server.pem, DIR/server.key    a server certificate for DNS:localhost and IP:127.0.0.1,
#                                     signed by that CA (server.pem holds the leaf only)
#   DIR/other-ca.pem, DIR/other-ca.key  an unrelated CA (for "untrusted certificate" tests)
# EC P-256 keys, valid 2 days.  Quiet; idempotent: existing files are kept while the server
# certificate verifies against ca.pem and stays valid for at least one more hour.
set -eu
if [ $# -ne 1 ] || [ -z "$1" ]; then
    echo "usage: make_tls.sh DIR" >&2
    exit 2
fi
dir=$1
mkdir -p "$dir"
cd "$dir"
if [ -s ca.pem ] && [ -s ca.key ] && [ -s server.pem ] && [ -s server.key ] && [ -s other-ca.pem ] \
   && openssl x509 -checkend 3600 -noout -in server.pem >/dev/null 2>&1 \
   && openssl verify -CAfile ca.pem server.pem >/dev/null 2>&1; then
    exit 0
fi
umask 077
tmp=$(mktemp -d ./.make_tls.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
cat > "$tmp/openssl.cnf" <<'CNF'
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
cnf="$tmp/openssl.cnf"
ca() {  # ca NAME SUBJECT
    openssl req -x509 -config "$cnf" -extensions ca_ext -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
        -nodes -keyout "$tmp/$1.key" -out "$tmp/$1.pem" -days 2 -subj "$2" >/dev/null 2>&1
}
ca ca "/CN=bedrock_fdw emulator test CA"
ca other-ca "/CN=bedrock_fdw unrelated test CA"
openssl req -new -config "$cnf" -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$tmp/server.key" -out "$tmp/server.csr" -subj "/CN=localhost" >/dev/null 2>&1
openssl x509 -req -in "$tmp/server.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" -set_serial "0x$(openssl rand -hex 16)" \
    -days 2 -extfile "$cnf" -extensions server_ext -out "$tmp/server.pem" >/dev/null 2>&1
openssl verify -CAfile "$tmp/ca.pem" "$tmp/server.pem" >/dev/null
chmod 644 "$tmp/ca.pem" "$tmp/other-ca.pem" "$tmp/server.pem"
for f in ca.key other-ca.key server.key ca.pem other-ca.pem server.pem; do
    mv -f "$tmp/$f" "./$f"
done
