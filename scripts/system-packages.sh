#!/usr/bin/env bash
# Debian packages the tests need beyond Python: Pango for WeasyPrint (PDF), HarfBuzz's
# subsetter (fast font embedding), poppler-utils (reading PDFs back), chromium (browser
# tests through Playwright; never `playwright install`), LibreOffice Calc (the ROPA
# spreadsheet converted to PDF in a test). Installed only
# when missing, only as root with apt-get; elsewhere this prints what to install.
set -u
need=()
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
have_lib libpango-1.0.so || need+=(libpango-1.0-0)
have_lib libpangoft2-1.0.so || need+=(libpangoft2-1.0-0)
have_lib libharfbuzz-subset.so || need+=(libharfbuzz-subset0)
command -v pdftotext >/dev/null || need+=(poppler-utils)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v soffice >/dev/null || need+=(libreoffice-calc-nogui)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "system-packages: installing ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null ||
    echo "system-packages: could not install ${need[*]}; PDF tests may skip or run slowly"
else
  echo "system-packages: missing ${need[*]} (install them for PDF output and its tests)"
fi
exit 0
