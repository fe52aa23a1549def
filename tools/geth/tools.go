//go:build tools

// Package tools pins the geth release that scripts/setup.sh builds: go.mod and go.sum hold the
// exact module versions, so the build is reproducible from the Go module proxy alone.
package tools

import _ "github.com/ethereum/go-ethereum/cmd/geth"
