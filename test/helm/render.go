// render: parses every file under a Helm chart's templates/ folder with Go's
// text/template (Helm's template engine), executes it with a minimal values
// map and writes the result to the same relative path under <outdir>.
// Exits 1 on the first parse or execution error.
// Usage: render <chart-dir> <outdir>
package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"text/template"
)

func main() {
	root := filepath.Join(os.Args[1], "templates")
	values := map[string]interface{}{"Values": map[string]interface{}{}, "Release": map[string]interface{}{"Name": "r", "Namespace": "default"}}
	n := 0
	check(filepath.WalkDir(root, func(f string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, f)
		content, err := os.ReadFile(f)
		check(err)
		t, err := template.New(rel).Option("missingkey=error").Parse(string(content))
		check(err)
		dest := filepath.Join(os.Args[2], rel)
		check(os.MkdirAll(filepath.Dir(dest), 0o755))
		out, err := os.Create(dest)
		check(err)
		check(t.Execute(out, values))
		n++
		return out.Close()
	}))
	fmt.Printf("%d templates rendered\n", n)
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
