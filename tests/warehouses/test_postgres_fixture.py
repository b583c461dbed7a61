"""The PostgreSQL fixture gives a real server that answers SQL."""
from __future__ import annotations


def test_the_server_answers_and_each_test_gets_its_own_database(pg_database):
    import psycopg2

    con = psycopg2.connect(pg_database.url)
    try:
        with con.cursor() as cur:
            cur.execute("select current_database(), version()")
            name, version = cur.fetchone()
    finally:
        con.close()
    assert name == pg_database.dbname
    assert version.startswith("PostgreSQL")
