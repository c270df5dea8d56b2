#!/bin/sh
# Install the Linux bundle for the current user (no root): the folder goes to
# ~/.local/opt, the command to ~/.local/bin, plus a menu entry, the icon and the
# .distarch file type. Run it from the unpacked bundle folder:
#     ./install.sh            install (or update)
#     ./install.sh --remove   uninstall (maps and settings are kept)
set -eu

NAME=distribution-architect
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=${XDG_DATA_HOME:-$HOME/.local/share}
OPT=$HOME/.local/opt/$NAME
BIN=$HOME/.local/bin

refresh() {
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$DATA/applications" || true
    command -v update-mime-database >/dev/null 2>&1 && update-mime-database "$DATA/mime" || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$DATA/icons/hicolor" || true
}

if [ "${1:-}" = "--remove" ]; then
    rm -rf "$OPT"
    rm -f "$BIN/$NAME" "$DATA/applications/$NAME.desktop" \
        "$DATA/icons/hicolor/256x256/apps/$NAME.png" "$DATA/mime/packages/$NAME.xml"
    refresh
    echo "removed $NAME"
    exit 0
fi

if [ ! -x "$HERE/$NAME" ]; then
    echo "run install.sh from the unpacked $NAME folder" >&2
    exit 2
fi
if [ "$HERE" != "$OPT" ]; then
    rm -rf "$OPT"
    mkdir -p "$(dirname "$OPT")"
    cp -a "$HERE" "$OPT"
fi
mkdir -p "$BIN" "$DATA/applications" "$DATA/icons/hicolor/256x256/apps" "$DATA/mime/packages"
ln -sf "$OPT/$NAME" "$BIN/$NAME"
sed "s|^Exec=.*|Exec=$OPT/$NAME %f|; s|^TryExec=.*|TryExec=$OPT/$NAME|" \
    "$HERE/$NAME.desktop" >"$DATA/applications/$NAME.desktop"
cp "$HERE/$NAME.png" "$DATA/icons/hicolor/256x256/apps/$NAME.png"
cp "$HERE/$NAME-mime.xml" "$DATA/mime/packages/$NAME.xml"
refresh
echo "installed $NAME in $OPT; run it from the applications menu or as $BIN/$NAME"
