module mraa/toolchain/random

go 1.25.8
