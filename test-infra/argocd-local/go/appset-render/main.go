// appset-render: what Argo CD's ApplicationSet controller does with a git files generator
// and a Go template, for test-infra/argocd-local. It reads one JSON request on stdin:
//
//	{"template": {...the ApplicationSet's spec.template...},
//	 "goTemplateOptions": ["missingkey=error"],
//	 "files": [{"path": "catalog/a/dev/x.yaml", "content": "<the file's text>"}]}
//
// and writes {"results": [{"path": ..., "application": {...}} | {"path": ..., "error": "..."}]}.
//
// As Argo CD does (applicationset/generators/git.go, applicationset/utils/utils.go):
//   - each file is parsed as YAML into a JSON-compatible value (numbers as float64), as an
//     object, else as a list of objects (one set of parameters each);
//   - the parameters are the file's keys plus "path" {path, basename, filename,
//     basenameNormalized, filenameNormalized, segments};
//   - every string of the template, map keys included, is rendered on its own with
//     text/template, the sprig functions without env, expandenv and getHostByName, and
//     normalize; with the goTemplateOptions (missingkey=error) applied.
//
// Built by argocd-local at test time (GO111MODULE=off, GOPATH=/usr/share/gocode, Debian's
// golang-go, golang-github-masterminds-sprig-dev and golang-gopkg-yaml.v2-dev).
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"regexp"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	yaml "gopkg.in/yaml.v2"
)

type file struct {
	Path    string `json:"path"`
	Content string `json:"content"`
}

type request struct {
	Template          interface{} `json:"template"`
	GoTemplateOptions []string    `json:"goTemplateOptions"`
	Files             []file      `json:"files"`
}

type result struct {
	Path        string      `json:"path"`
	Application interface{} `json:"application,omitempty"`
	Error       string      `json:"error,omitempty"`
}

var invalidDNSNameChars = regexp.MustCompile(`[^-a-z0-9.]`)

// sanitizeName makes a string a DNS name (lower case, [-a-z0-9.], at most 253 characters).
func sanitizeName(name string) string {
	name = strings.ToLower(name)
	name = invalidDNSNameChars.ReplaceAllString(name, "-")
	if len(name) > 253 {
		name = name[:253]
	}
	return strings.Trim(name, "-.")
}

func funcMap() template.FuncMap {
	m := sprig.TxtFuncMap()
	delete(m, "env")
	delete(m, "expandenv")
	delete(m, "getHostByName")
	m["normalize"] = sanitizeName
	return m
}

// jsonCompatible turns yaml.v2's map[interface{}]interface{} into map[string]interface{}.
func jsonCompatible(v interface{}) (interface{}, error) {
	switch t := v.(type) {
	case map[interface{}]interface{}:
		out := map[string]interface{}{}
		for k, val := range t {
			c, err := jsonCompatible(val)
			if err != nil {
				return nil, err
			}
			out[fmt.Sprintf("%v", k)] = c
		}
		return out, nil
	case []interface{}:
		out := make([]interface{}, len(t))
		for i, val := range t {
			c, err := jsonCompatible(val)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	default:
		return v, nil
	}
}

// yamlToJSONValue parses YAML the way sigs.k8s.io/yaml does: to JSON, then back with
// encoding/json (numbers become float64).
func yamlToJSONValue(text string) (interface{}, error) {
	var raw interface{}
	if err := yaml.Unmarshal([]byte(text), &raw); err != nil {
		return nil, err
	}
	c, err := jsonCompatible(raw)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	var out interface{}
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return out, nil
}

func paramsOf(f file) ([]map[string]interface{}, error) {
	value, err := yamlToJSONValue(f.Content)
	if err != nil {
		return nil, fmt.Errorf("unable to parse file: %w", err)
	}
	var objects []map[string]interface{}
	switch t := value.(type) {
	case nil:
		objects = []map[string]interface{}{{}}
	case map[string]interface{}:
		objects = []map[string]interface{}{t}
	case []interface{}:
		for _, item := range t {
			obj, ok := item.(map[string]interface{})
			if !ok {
				return nil, fmt.Errorf("unable to parse file: a list item is not an object")
			}
			objects = append(objects, obj)
		}
	default:
		return nil, fmt.Errorf("unable to parse file: not an object or a list of objects")
	}
	var res []map[string]interface{}
	for _, obj := range objects {
		params := map[string]interface{}{}
		for k, v := range obj {
			params[k] = v
		}
		dir := path.Dir(f.Path)
		segments := []interface{}{}
		for _, s := range strings.Split(dir, "/") {
			segments = append(segments, s)
		}
		params["path"] = map[string]interface{}{
			"path":               dir,
			"basename":           path.Base(dir),
			"filename":           path.Base(f.Path),
			"basenameNormalized": sanitizeName(path.Base(dir)),
			"filenameNormalized": sanitizeName(path.Base(f.Path)),
			"segments":           segments,
		}
		res = append(res, params)
	}
	return res, nil
}

type renderer struct {
	funcs   template.FuncMap
	options []string
	// Each distinct string is parsed once (as Argo CD caches parsed templates).
	cache map[string]*template.Template
}

func (r *renderer) render(text string, params map[string]interface{}) (string, error) {
	tmpl, ok := r.cache[text]
	if !ok {
		parsed, err := template.New("").Funcs(r.funcs).Parse(text)
		if err != nil {
			return "", fmt.Errorf("failed to parse template %s: %w", text, err)
		}
		for _, option := range r.options {
			parsed = parsed.Option(option)
		}
		r.cache[text] = parsed
		tmpl = parsed
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, params); err != nil {
		return "", fmt.Errorf("failed to execute go template %s: %w", text, err)
	}
	return buf.String(), nil
}

// deeplyReplace renders every string of a JSON value (map keys too).
func (r *renderer) deeplyReplace(v interface{}, params map[string]interface{}) (interface{}, error) {
	switch t := v.(type) {
	case string:
		return r.render(t, params)
	case map[string]interface{}:
		out := map[string]interface{}{}
		for k, val := range t {
			key, err := r.render(k, params)
			if err != nil {
				return nil, err
			}
			c, err := r.deeplyReplace(val, params)
			if err != nil {
				return nil, err
			}
			out[key] = c
		}
		return out, nil
	case []interface{}:
		out := make([]interface{}, len(t))
		for i, val := range t {
			c, err := r.deeplyReplace(val, params)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	default:
		return v, nil
	}
}

func main() {
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		fmt.Fprintf(os.Stderr, "appset-render: the request is not JSON: %v\n", err)
		os.Exit(2)
	}
	r := &renderer{funcs: funcMap(), options: req.GoTemplateOptions, cache: map[string]*template.Template{}}
	results := []result{}
	for _, f := range req.Files {
		sets, err := paramsOf(f)
		if err != nil {
			results = append(results, result{Path: f.Path, Error: err.Error()})
			continue
		}
		for _, params := range sets {
			app, err := r.deeplyReplace(req.Template, params)
			if err != nil {
				results = append(results, result{Path: f.Path, Error: err.Error()})
				continue
			}
			results = append(results, result{Path: f.Path, Application: app})
		}
	}
	if err := json.NewEncoder(os.Stdout).Encode(map[string]interface{}{"results": results}); err != nil {
		fmt.Fprintf(os.Stderr, "appset-render: %v\n", err)
		os.Exit(1)
	}
}
