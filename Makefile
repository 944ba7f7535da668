# bedrock_fdw: PGXS build, tests and demo.
#
#   make && make install     build and install into the PostgreSQL found by pg_config
#   make test                install what is missing, then run every test (see README)
#   make demo                install what is missing, then run the demo

MODULE_big = bedrock_fdw
OBJS = \
	bedrock_fdw.o \
	src/accounts.o \
	src/api.o \
	src/awstime.o \
	src/bufpool.o \
	src/cache.o \
	src/call.o \
	src/convert.o \
	src/credentials.o \
	src/credvalue.o \
	src/detailcache.o \
	src/envcreds.o \
	src/fetch.o \
	src/http.o \
	src/json.o \
	src/metadata.o \
	src/option.o \
	src/process.o \
	src/profile.o \
	src/pushdown.o \
	src/resources.o \
	src/shmem.o \
	src/sigv4.o \
	src/stats.o \
	src/sts.o \
	src/waitfd.o \
	src/xml.o

EXTENSION = bedrock_fdw
DATA = bedrock_fdw--0.1.sql bedrock_fdw--0.1--0.2.sql bedrock_fdw--0.2.sql \
	bedrock_fdw--0.2--0.3.sql
PGFILEDESC = "bedrock_fdw - foreign data wrapper for the AWS Bedrock control plane"

# REGRESS runs under `make installcheck` too, against a running server with
# the emulator started for it (test/installcheck_env); REGRESS_OWN_CLUSTER
# needs a server environment of its own (test/regress.sh runs both)
REGRESS = options upgrade import columns resources accounts stats detail_cache bulk_tags pushdown params async errors error_codes retries faults
REGRESS_OWN_CLUSTER = credentials
REGRESS_OPTS = --load-extension=bedrock_fdw --launcher=$(abspath $(srcdir))/test/installcheck_env
REGRESS_PREP = installcheck-emulator

PKG_CONFIG ?= pkg-config
# quiet: `make test` and `make demo` install the libraries before building
DEP_CFLAGS := $(shell $(PKG_CONFIG) --cflags libcurl libcrypto libxml-2.0 2>/dev/null)
DEP_LIBS := $(shell $(PKG_CONFIG) --libs libcurl libcrypto libxml-2.0 2>/dev/null)

PG_CPPFLAGS = -I$(srcdir)/src $(DEP_CFLAGS)
SHLIB_LINK = $(DEP_LIBS)

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifneq ($(wildcard $(PGXS)),)
include $(PGXS)
else
# No PGXS yet: `make test` and `make demo` install it first; a plain build
# says what is missing.
all:
	@echo "PGXS not found: install postgresql-server-dev-15 (or run test/deps.sh)" >&2; exit 1
endif

# every object depends on the shared headers (PGXS tracks no header changes)
$(OBJS): src/bedrock_fdw.h src/catalog.h src/pg_compat.h src/json.h src/sigv4.h src/awstime.h src/xml.h

# Standalone C tests: code that needs no backend, linked without it.
SUITE_DIR ?= $(CURDIR)/../shared/aws/sigv4-testsuite
TEST_CFLAGS = $(CFLAGS) -I$(srcdir)/src $(DEP_CFLAGS)

test/sigv4_test: test/sigv4_test.c test/sigv4_request.c test/sigv4_request.h \
		src/sigv4.c src/sigv4.h
	$(CC) $(TEST_CFLAGS) -o $@ test/sigv4_test.c test/sigv4_request.c src/sigv4.c -lcrypto

test/awstime_test: test/awstime_test.c src/awstime.c src/awstime.h
	$(CC) $(TEST_CFLAGS) -o $@ test/awstime_test.c src/awstime.c

test/json_test: test/json_test.c src/json.c src/json.h
	$(CC) $(TEST_CFLAGS) -o $@ test/json_test.c src/json.c

test/catalog_dump: test/catalog_dump.c src/resources.c src/catalog.h
	$(CC) $(TEST_CFLAGS) -o $@ test/catalog_dump.c src/resources.c

unittest: test/sigv4_test test/awstime_test test/json_test test/catalog_dump
	test/sigv4_test $(SUITE_DIR)
	test/awstime_test
	test/json_test
	python3 test/catalog_test.py

test:
	test/run_all.sh

demo:
	test/demo.sh

installcheck-emulator:
	@$(srcdir)/test/installcheck_env --start

.PHONY: unittest test demo installcheck-emulator
EXTRA_CLEAN = test/sigv4_test test/awstime_test test/json_test test/catalog_dump
