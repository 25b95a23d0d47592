#!/bin/sh
# Run by the entrypoint of the official nginx image before nginx starts:
# serve HTTPS when a certificate is mounted, plain HTTP otherwise.
set -eu

tls_dir=/etc/nginx/tls
if [ -s "$tls_dir/fullchain.pem" ] && [ -s "$tls_dir/privkey.pem" ]; then
    site=https
else
    site=http
    echo "$0: no certificate in $tls_dir, serving plain HTTP;" \
        "browsers keep the Tryton session cookie only over HTTPS or on" \
        "localhost, so put a TLS terminator in front" >&2
fi
echo "include /etc/nginx/microloan/$site.conf;" > /etc/nginx/conf.d/default.conf
echo "$0: microloan site: $site" >&2
