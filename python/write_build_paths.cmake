# Writes _build_paths.py: where the build tree's `superion` executable is.
file(WRITE ${OUT}.tmp "# Written by the build: the superion executable of this build tree.\nCLI = r\"${CLI}\"\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUT}.tmp)
