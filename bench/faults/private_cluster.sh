# A private PostgreSQL cluster for the scenarios that restart PostgreSQL: the
# shared server (PGHOST:PGPORT) is never stopped or restarted. Sourced after
# scripts/common.sh and setup_all:
#   start_private_cluster NAME PORT   # $VAR_DIR/NAME, stopped and removed on exit
#   copy_db_into_cluster SOURCE_DB DB # a copy of a database of the shared server
# It sets PRIVATE_PORT and PG_CTL (an array: "${PG_CTL[@]}" restart -m fast),
# and exports FAULT_PG_RESTART / FAULT_PG_AS_POSTGRES for the Python side.

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_private_cluster() {
  local name=$1 bindir
  PRIVATE_PORT=$2
  PRIVATE_DIR="$VAR_DIR/$name"
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -x "$bindir/initdb" ] || die "PostgreSQL server binaries (initdb) not found"
  PG_CTL=(as_pg "$bindir/pg_ctl" -D "$PRIVATE_DIR/data" -l "$PRIVATE_DIR/pg.log" -w
    -o "-p $PRIVATE_PORT -k $PRIVATE_DIR -c listen_addresses=127.0.0.1")
  rm -rf "$PRIVATE_DIR"; mkdir -p "$PRIVATE_DIR"
  [ "$(id -u)" = 0 ] && chown postgres "$PRIVATE_DIR"
  as_pg "$bindir/initdb" -D "$PRIVATE_DIR/data" -U postgres --auth=trust >/dev/null
  "${PG_CTL[@]}" start >/dev/null
  psql -h 127.0.0.1 -p "$PRIVATE_PORT" -U postgres -d postgres -qc \
    "CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD'"
  FAULT_PG_RESTART="$(printf '%q ' "${PG_CTL[@]:1}") restart -m fast"
  FAULT_PG_AS_POSTGRES="$([ "$(id -u)" = 0 ] && echo 1 || true)"
  export FAULT_PG_RESTART FAULT_PG_AS_POSTGRES
}

stop_private_cluster() {
  "${PG_CTL[@]}" stop -m fast >/dev/null 2>&1 || true
  rm -rf "$PRIVATE_DIR"
}

copy_db_into_cluster() {
  local source=$1 db=$2
  psql -h 127.0.0.1 -p "$PRIVATE_PORT" -U postgres -d postgres -qc "CREATE DATABASE $db OWNER $DB_USER"
  psql -h 127.0.0.1 -p "$PRIVATE_PORT" -U postgres -d "$db" -qc \
    "CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE EXTENSION IF NOT EXISTS unaccent"
  PGPASSWORD="$DB_PASSWORD" pg_dump -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" -Fc "$source" |
    PGPASSWORD="$DB_PASSWORD" pg_restore -h 127.0.0.1 -p "$PRIVATE_PORT" -U "$DB_USER" -d "$db" --no-owner 2>/dev/null || true
}
