# debian.mk - a Debian source package's upstream tarball, unmodified, for the
# examples that bind real C libraries as they are (examples/zlib, lz4, cjson).
#
#   include $(WASMGEN_HOME)/examples/debian.mk
#   $(eval $(call debian_source,PACKAGE,VAR))   # $(VAR): the unpacked upstream tree
#
# apt-get fetches the source package with a deb-src list made from the
# machine's own Debian sources and kept in $(DEBIAN_DIR), with apt's lists and
# cache there too (-o Dir::...): the machine's apt configuration is untouched.
# Everything is cached in $(DEBIAN_DIR), so a second build does not download.
# The upstream (.orig) tarball is what is unpacked: when a security update's
# .debian.tar.xz cannot be fetched, the .orig tarball alone is fetched instead.

DEBIAN_DIR   ?= $(abspath $(WASMGEN_HOME)/build/debian)
DEBIAN_APT    = apt-get -q -o Dir::Etc::SourceList=$(DEBIAN_DIR)/sources.list \
                -o Dir::Etc::SourceParts=$(DEBIAN_DIR)/sources.parts -o Dir::State::Lists=$(DEBIAN_DIR)/lists \
                -o Dir::Cache=$(DEBIAN_DIR)/cache -o Debug::NoLocking=1 -o APT::Sandbox::User=root

# The machine's deb sources, as deb-src, in $(DEBIAN_DIR). apt runs without
# its own locks (Debug::NoLocking; the lists are the project's): two examples updating at
# once under make -j take turns through flock instead.
$(DEBIAN_DIR)/lists/.updated:
	@mkdir -p $(DEBIAN_DIR)/sources.parts $(DEBIAN_DIR)/lists/partial $(DEBIAN_DIR)/cache/archives/partial
	@: > $(DEBIAN_DIR)/sources.list
	@for f in /etc/apt/sources.list.d/*.sources; do [ -f "$$f" ] && \
	  sed 's/^Types:.*/Types: deb-src/' "$$f" > $(DEBIAN_DIR)/sources.parts/$$(basename "$$f"); done; \
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do [ -f "$$f" ] && \
	  sed -n 's/^deb \(.*\)/deb-src \1/p' "$$f" >> $(DEBIAN_DIR)/sources.list; done; true
	flock $(DEBIAN_DIR)/lists.lock $(DEBIAN_APT) update
	@touch $@

define debian_source
$(2) := $(DEBIAN_DIR)/$(1)/src
$(DEBIAN_DIR)/$(1)/.unpacked: | $(DEBIAN_DIR)/lists/.updated
	@rm -rf $(DEBIAN_DIR)/$(1) && mkdir -p $(DEBIAN_DIR)/$(1)/dl $(DEBIAN_DIR)/$(1)/src
	cd $(DEBIAN_DIR)/$(1)/dl && { $(DEBIAN_APT) --download-only source $(1) || \
	  $(DEBIAN_APT) -qq --print-uris source $(1) | sed -n "s/^'\([^']*\.orig\.tar\.[a-z0-9]*\)' \([^ ]*\) [0-9]* \(.*\)$$$$/\1 \2 \3/p" | \
	  while read uri file hash; do /usr/lib/apt/apt-helper download-file "$$$$uri" "$$$$file" "$$$$hash" || exit 1; done; }
	tar -xf $$$$(ls $(DEBIAN_DIR)/$(1)/dl/*.orig.tar.* | head -1) --strip-components=1 -C $(DEBIAN_DIR)/$(1)/src
	@touch $$@
endef
