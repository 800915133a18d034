#!/usr/bin/env bash
# Gongkai developer entry point. Sets everything up, then:
#   ./dev.sh example   build the example site into site/ (as on the example's date)
#   ./dev.sh test      run the whole test suite
# Works on a fresh Debian/Ubuntu machine with Python 3.11+; installs the system packages it
# needs with apt-get (as root, or through sudo), or stops and says what is missing.
# Set-up is quiet: apt's and pip's output goes to a log that is shown only when they fail.
set -euo pipefail
cd "$(dirname "$0")"

EXAMPLE_AS_OF=2024-11-28   # the example data describes late 2024
# Chinese fonts for print; Pango and HarfBuzz subsetting for WeasyPrint (PDF).
SYSTEM_PACKAGES=(fonts-noto-cjk fontconfig libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libgs-common)

say() { printf '%s\n' "$*" >&2; }

# Runs a command with its output appended to LOG; shows the end of LOG only if it fails.
quietly() {
  local log=$1
  shift
  if ! "$@" >>"$log" 2>&1; then
    tail -n 20 "$log" >&2
    say "失败：$*。完整输出在 $log"
    say "(failed: $*. The whole output is in $log)"
    exit 1
  fi
}

# A container's Debian or Ubuntu (debian:12, ubuntu:24.04) has no Python at all: it is installed
# like the other system packages (3.11.2 on Debian 12). An older system's is too old: say so.
pick_python() {
  local attempt candidate sudo=""
  for attempt in 1 2; do
    for candidate in python3.13 python3.12 python3.11 python3; do
      if command -v "$candidate" >/dev/null 2>&1 &&
         "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        echo "$candidate"; return 0
      fi
    done
    if [ "$attempt" = 2 ] || command -v python3 >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then break; fi
    apt_install python3 python3-venv
  done
  [ "$(id -u)" -eq 0 ] || sudo="sudo "
  say "未找到 Python 3.11 或更高版本。Gongkai 需要 Debian 12、Ubuntu 24.04 或更新的系统；或自行安装 Python 3.11+：${sudo}apt-get install python3"
  say "(Python 3.11+ not found. Gongkai needs Debian 12, Ubuntu 24.04 or later, or a Python 3.11+ you install: ${sudo}apt-get install python3)"
  exit 2
}

apt_install() {
  local runner=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then runner=(sudo); else
      say "缺少系统软件包：$*。请用管理员身份运行：apt-get install $*"
      say "(missing system packages: $*. As root, run: apt-get install $*)"
      exit 2
    fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    say "缺少系统软件包：$*，且本机没有 apt-get。请用系统的包管理器安装同名软件包。"
    say "(missing system packages: $*, and no apt-get here: install them with your package manager)"
    exit 2
  fi
  say "正在安装系统软件包 (installing system packages): $*"
  local log
  log=$(mktemp -t gongkai-apt.XXXXXX)
  quietly "$log" "${runner[@]}" apt-get update
  quietly "$log" "${runner[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
  rm -f "$log"
}

system_setup() {
  local missing=()
  for pkg in "${SYSTEM_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
    missing+=("$("$PYTHON" -c 'import sys; print(f"python3.{sys.version_info[1]}-venv")')")
  fi
  if [ "${#missing[@]}" -gt 0 ]; then apt_install "${missing[@]}"; fi
}

python_setup() {
  if [ ! -x .venv/bin/python ]; then "$PYTHON" -m venv .venv; fi
  local stamp=.venv/.gongkai-installed log=.venv/install.log
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ requirements.lock -nt "$stamp" ]; then
    say "正在把 Python 软件包装进 .venv/，第一次要几分钟 (installing Python packages into .venv/)"
    : >"$log"
    quietly "$log" .venv/bin/python -m pip install --upgrade pip
    quietly "$log" .venv/bin/python -m pip install -c requirements.lock -e '.[test]'
    touch "$stamp"
  fi
}

# Stops before a run that cannot finish: the tests build sites and PDFs in the temporary folder
# (under 1 GB at their peak), and a full disk fails them one by one, twenty minutes in.
need_space() {
  local dir=${TMPDIR:-/tmp} need_mb=$1 free_mb
  free_mb=$(df -Pm "$dir" 2>/dev/null | awk 'NR == 2 {print $4}')
  if [ -n "$free_mb" ] && [ "$free_mb" -lt "$need_mb" ]; then
    say "磁盘空间不足：$dir 只剩 ${free_mb} MB，运行测试至少要 ${need_mb} MB。请先清理磁盘（或把 TMPDIR 设到空间够的目录）。"
    say "(not enough disk space: ${free_mb} MB free in $dir, the tests need ${need_mb} MB. Free some, or point TMPDIR elsewhere)"
    exit 2
  fi
}

next_steps() {
  cat <<'TEXT'

完成。接下来 (done; next):
  .venv/bin/gongkai serve   在浏览器里打开 http://127.0.0.1:8000 预览网站，改了记录会自动刷新
                            (preview the site at http://127.0.0.1:8000; it refreshes as records change)
  print/                    印刷用的 PDF：A4 公示、公开栏、展板 (PDFs to print: notices and boards)
  site/                     要发布的网站。直接打开 site/index.html 只会看到文件夹列表，请用上面的预览
                            (the site to publish; opened from disk it shows folder listings: preview instead)
TEXT
}

case "${1:-}" in
  example | test) ;;
  *)
    say "用法 (usage): ./dev.sh example | ./dev.sh test"
    exit 2
    ;;
esac
PYTHON=$(pick_python)
case "${1:-}" in
  example)
    system_setup
    python_setup
    # boards names every PDF it writes; its last line gives the count and the folder.
    .venv/bin/gongkai boards --as-of "$EXAMPLE_AS_OF" | tail -n 1
    .venv/bin/gongkai build --as-of "$EXAMPLE_AS_OF"
    next_steps
    ;;
  test)
    # End-to-end tests drive Debian's Chromium (never a downloaded browser) through Playwright,
    # whose bundled Node.js needs libatomic.so.1 (not pulled in by Debian 12's chromium).
    system_setup chromium libatomic1
    python_setup
    need_space 1024
    shift
    .venv/bin/ruff format --check --quiet generator tests
    .venv/bin/ruff check --quiet generator tests
    .venv/bin/python -m pytest "$@"
    ;;
  *)
    say "用法 (usage): ./dev.sh example | ./dev.sh test"
    exit 2
    ;;
esac
