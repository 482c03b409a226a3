// Command forcenew reads the AWS provider's Go source and prints, for each requested resource type,
// the attributes whose change forces replacement: SDKv2 `ForceNew: true` and framework
// `RequiresReplace*()` plan modifiers, nested blocks included (paths joined with dots).
//
//	go run . -dir <terraform-provider-aws source> -types aws_vpc,aws_subnet
//
// It maps each Terraform type name to its schema through the registrations in every service's
// service_package_gen.go (`Factory` and `TypeName` in SDKResources / FrameworkResources). Schemas
// assembled at run time in ways the scanner does not follow (maps merged by helper functions,
// attributes added in loops) are reported in "unresolved" rather than guessed.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

type pkg struct {
	funcs   map[string]*ast.FuncDecl   // top-level functions by name
	methods map[string]*ast.FuncDecl   // "Type.Method"
	structs map[string]*ast.StructType // type declarations
	consts  map[string]string          // package-level string constants
	vars    map[string]ast.Expr        // package-level variables' values
}

var names = map[string]string{} // names.AttrX → "x"

func main() {
	dir := flag.String("dir", "", "terraform-provider-aws source directory")
	typesFlag := flag.String("types", "", "comma-separated resource types")
	flag.Parse()
	wanted := map[string]bool{}
	for _, t := range strings.Split(*typesFlag, ",") {
		if t != "" {
			wanted[t] = true
		}
	}
	loadNames(filepath.Join(*dir, "names"))
	result := map[string][]string{}
	unresolved := map[string]string{}
	services, _ := filepath.Glob(filepath.Join(*dir, "internal", "service", "*", "service_package_gen.go"))
	for _, gen := range services {
		registrations := readRegistrations(gen, wanted)
		if len(registrations) == 0 {
			continue
		}
		p := loadPackage(filepath.Dir(gen))
		for typeName, reg := range registrations {
			paths, err := p.forceNew(reg)
			if err != nil {
				unresolved[typeName] = err.Error()
				continue
			}
			sort.Strings(paths)
			result[typeName] = dedupe(paths)
		}
	}
	for t := range wanted {
		if _, ok := result[t]; !ok {
			if _, ok := unresolved[t]; !ok {
				unresolved[t] = "no registration found"
			}
		}
	}
	out, _ := json.MarshalIndent(map[string]any{"resources": result, "unresolved": unresolved}, "", "  ")
	fmt.Println(string(out))
}

func dedupe(items []string) []string {
	out := []string{}
	for i, item := range items {
		if i == 0 || items[i-1] != item {
			out = append(out, item)
		}
	}
	return out
}

func loadNames(dir string) {
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	fset := token.NewFileSet()
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			continue
		}
		collectConsts(f, names)
	}
}

func collectConsts(f *ast.File, into map[string]string) {
	for _, decl := range f.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.CONST {
			continue
		}
		for _, spec := range gen.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, name := range vs.Names {
				if i < len(vs.Values) {
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						if s, err := strconv.Unquote(lit.Value); err == nil {
							into[name.Name] = s
						}
					}
				}
			}
		}
	}
}

type registration struct {
	factory   string
	framework bool
}

// readRegistrations finds `Factory: x, TypeName: "aws_..."` in SDKResources and FrameworkResources.
func readRegistrations(file string, wanted map[string]bool) map[string]registration {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, nil, 0)
	if err != nil {
		return nil
	}
	found := map[string]registration{}
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || (fn.Name.Name != "SDKResources" && fn.Name.Name != "FrameworkResources") {
			continue
		}
		framework := fn.Name.Name == "FrameworkResources"
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok {
				return true
			}
			var factory, typeName string
			for _, elt := range lit.Elts {
				kv, ok := elt.(*ast.KeyValueExpr)
				if !ok {
					continue
				}
				key, _ := kv.Key.(*ast.Ident)
				if key == nil {
					continue
				}
				switch key.Name {
				case "Factory":
					if id, ok := kv.Value.(*ast.Ident); ok {
						factory = id.Name
					}
				case "TypeName":
					if bl, ok := kv.Value.(*ast.BasicLit); ok {
						typeName, _ = strconv.Unquote(bl.Value)
					}
				}
			}
			if factory != "" && wanted[typeName] {
				found[typeName] = registration{factory: factory, framework: framework}
			}
			return true
		})
	}
	return found
}

func loadPackage(dir string) *pkg {
	p := &pkg{funcs: map[string]*ast.FuncDecl{}, methods: map[string]*ast.FuncDecl{}, structs: map[string]*ast.StructType{}, consts: map[string]string{}, vars: map[string]ast.Expr{}}
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	fset := token.NewFileSet()
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			continue
		}
		collectConsts(f, p.consts)
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					p.funcs[d.Name.Name] = d
				} else if len(d.Recv.List) == 1 {
					p.methods[receiverName(d.Recv.List[0].Type)+"."+d.Name.Name] = d
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					if vs, ok := spec.(*ast.ValueSpec); ok && d.Tok == token.VAR {
						for i, name := range vs.Names {
							if i < len(vs.Values) {
								p.vars[name.Name] = vs.Values[i]
							}
						}
					}
					if ts, ok := spec.(*ast.TypeSpec); ok {
						if st, ok := ts.Type.(*ast.StructType); ok {
							p.structs[ts.Name.Name] = st
						}
					}
				}
			}
		}
	}
	return p
}

func receiverName(expr ast.Expr) string {
	switch t := expr.(type) {
	case *ast.StarExpr:
		return receiverName(t.X)
	case *ast.Ident:
		return t.Name
	case *ast.IndexExpr:
		return receiverName(t.X)
	}
	return ""
}

func (p *pkg) key(expr ast.Expr) (string, bool) {
	switch k := expr.(type) {
	case *ast.BasicLit:
		s, err := strconv.Unquote(k.Value)
		return s, err == nil
	case *ast.SelectorExpr:
		if x, ok := k.X.(*ast.Ident); ok && x.Name == "names" {
			s, ok := names[k.Sel.Name]
			return s, ok
		}
	case *ast.Ident:
		s, ok := p.consts[k.Name]
		return s, ok
	}
	return "", false
}

func (p *pkg) forceNew(reg registration) ([]string, error) {
	fn := p.funcs[reg.factory]
	if fn == nil {
		return nil, fmt.Errorf("factory %s not found", reg.factory)
	}
	if reg.framework {
		return p.frameworkForceNew(fn)
	}
	resource := findCompositeField(fn.Body, "Schema", "SchemaFunc")
	if resource == nil {
		return nil, fmt.Errorf("no Schema in %s", reg.factory)
	}
	m := p.resolveMap(resource, 0)
	if m == nil {
		return nil, fmt.Errorf("schema of %s not resolved", reg.factory)
	}
	return p.sdkMap(m, ""), nil
}

// findCompositeField returns the value of the first `Key: value` with one of the keys.
func findCompositeField(node ast.Node, keys ...string) ast.Expr {
	var found ast.Expr
	ast.Inspect(node, func(n ast.Node) bool {
		if found != nil {
			return false
		}
		if kv, ok := n.(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok {
				for _, key := range keys {
					if id.Name == key {
						found = kv.Value
						return false
					}
				}
			}
		}
		return true
	})
	return found
}

// resolveMap follows an expression to a map composite literal: the literal, a function literal
// or declared function returning one, or a call of such a function.
func (p *pkg) resolveMap(expr ast.Expr, depth int) *ast.CompositeLit {
	if depth > 5 || expr == nil {
		return nil
	}
	switch e := expr.(type) {
	case *ast.CompositeLit:
		if _, ok := e.Type.(*ast.MapType); ok {
			return e
		}
	case *ast.UnaryExpr:
		return p.resolveMap(e.X, depth+1)
	case *ast.FuncLit:
		return p.returnedMap(e.Body, depth)
	case *ast.Ident:
		if fn := p.funcs[e.Name]; fn != nil {
			return p.returnedMap(fn.Body, depth)
		}
		if value, ok := p.vars[e.Name]; ok {
			return p.resolveMap(value, depth+1)
		}
	case *ast.CallExpr:
		// maps.Clone(x) copies a schema kept in a package variable.
		if sel, ok := e.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Clone" && len(e.Args) == 1 {
			return p.resolveMap(e.Args[0], depth+1)
		}
		return p.resolveMap(e.Fun, depth+1)
	}
	return nil
}

func (p *pkg) returnedMap(body *ast.BlockStmt, depth int) *ast.CompositeLit {
	var found *ast.CompositeLit
	ast.Inspect(body, func(n ast.Node) bool {
		if found != nil {
			return false
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		if ret, ok := n.(*ast.ReturnStmt); ok && len(ret.Results) > 0 {
			found = p.resolveMap(ret.Results[0], depth+1)
			if found == nil {
				// `return &schema.Resource{Schema: …}` from a nested-block helper.
				if field := findCompositeField(ret.Results[0], "Schema", "SchemaFunc"); field != nil {
					found = p.resolveMap(field, depth+1)
				}
			}
		}
		return true
	})
	return found
}

func fields(lit *ast.CompositeLit) map[string]ast.Expr {
	out := map[string]ast.Expr{}
	for _, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok {
				out[id.Name] = kv.Value
			}
		}
	}
	return out
}

func (p *pkg) sdkMap(m *ast.CompositeLit, prefix string) []string {
	paths := []string{}
	for _, elt := range m.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		name, ok := p.key(kv.Key)
		if !ok {
			continue
		}
		value := kv.Value
		if u, ok := value.(*ast.UnaryExpr); ok {
			value = u.X
		}
		lit, ok := value.(*ast.CompositeLit)
		if !ok {
			continue
		}
		f := fields(lit)
		if id, ok := f["ForceNew"].(*ast.Ident); ok && id.Name == "true" {
			paths = append(paths, prefix+name)
		}
		if elem := f["Elem"]; elem != nil {
			var nested *ast.CompositeLit
			if field := findCompositeField(elem, "Schema", "SchemaFunc"); field != nil {
				nested = p.resolveMap(field, 0)
			} else if call, ok := elem.(*ast.CallExpr); ok {
				nested = p.resolveMap(call, 0)
			} else if id, ok := elem.(*ast.Ident); ok {
				nested = p.resolveMap(id, 0)
			}
			if nested != nil {
				paths = append(paths, p.sdkMap(nested, prefix+name+".")...)
			}
		}
	}
	return paths
}

// frameworkForceNew finds the resource struct the factory returns and scans its Schema method.
func (p *pkg) frameworkForceNew(factory *ast.FuncDecl) ([]string, error) {
	var typeName string
	ast.Inspect(factory.Body, func(n ast.Node) bool {
		if typeName != "" {
			return false
		}
		if u, ok := n.(*ast.UnaryExpr); ok && u.Op == token.AND {
			if lit, ok := u.X.(*ast.CompositeLit); ok {
				typeName = receiverName(lit.Type)
			}
		}
		return true
	})
	method := p.schemaMethod(typeName, 0)
	if method == nil {
		return nil, fmt.Errorf("no Schema method for %s", typeName)
	}
	var schemaLit *ast.CompositeLit
	ast.Inspect(method.Body, func(n ast.Node) bool {
		if schemaLit != nil {
			return false
		}
		if lit, ok := n.(*ast.CompositeLit); ok {
			if sel, ok := lit.Type.(*ast.SelectorExpr); ok && sel.Sel.Name == "Schema" {
				schemaLit = lit
			}
		}
		return true
	})
	if schemaLit == nil {
		return nil, fmt.Errorf("no schema.Schema literal in %s.Schema", typeName)
	}
	return p.frameworkObject(schemaLit, ""), nil
}

func (p *pkg) schemaMethod(typeName string, depth int) *ast.FuncDecl {
	if typeName == "" || depth > 4 {
		return nil
	}
	if m := p.methods[typeName+".Schema"]; m != nil {
		return m
	}
	if st := p.structs[typeName]; st != nil {
		for _, field := range st.Fields.List {
			if len(field.Names) == 0 {
				if m := p.schemaMethod(receiverName(field.Type), depth+1); m != nil {
					return m
				}
			}
		}
	}
	return nil
}

// frameworkObject scans `Attributes` and `Blocks` of a schema, nested object or block.
func (p *pkg) frameworkObject(lit *ast.CompositeLit, prefix string) []string {
	paths := []string{}
	f := fields(lit)
	for _, key := range []string{"Attributes", "Blocks"} {
		m, ok := f[key].(*ast.CompositeLit)
		if !ok {
			continue
		}
		for _, elt := range m.Elts {
			kv, ok := elt.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			name, ok := p.key(kv.Key)
			if !ok {
				continue
			}
			value, ok := kv.Value.(*ast.CompositeLit)
			if !ok {
				continue
			}
			vf := fields(value)
			if requiresReplace(vf["PlanModifiers"]) {
				paths = append(paths, prefix+name)
			}
			if nested, ok := vf["NestedObject"].(*ast.CompositeLit); ok {
				paths = append(paths, p.frameworkObject(nested, prefix+name+".")...)
			}
			if _, ok := vf["Attributes"]; ok {
				paths = append(paths, p.frameworkObject(value, prefix+name+".")...)
			}
		}
	}
	return paths
}

func requiresReplace(modifiers ast.Expr) bool {
	found := false
	if modifiers == nil {
		return false
	}
	ast.Inspect(modifiers, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && strings.HasPrefix(sel.Sel.Name, "RequiresReplace") {
				found = true
			}
		}
		return !found
	})
	return found
}

func init() {
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: forcenew -dir <provider source> -types aws_a,aws_b")
	}
}
