package journey

import "github.com/rapporthq/rapport/messaging"

// start is the id of the first step.
func (d *Definition) start() string {
	if d.Start != "" {
		return d.Start
	}
	return d.Steps[0].ID
}

// step returns the step with the id, or nil.
func (d *Definition) step(id string) *Step {
	for i := range d.Steps {
		if d.Steps[i].ID == id {
			return &d.Steps[i]
		}
	}
	return nil
}

// after is where a step goes when it has no branch of its own: its next,
// else the step listed after it, else nowhere (the journey ends).
func (d *Definition) after(id string) string {
	for i := range d.Steps {
		if d.Steps[i].ID != id {
			continue
		}
		if d.Steps[i].Next != "" {
			return d.Steps[i].Next
		}
		if i+1 < len(d.Steps) && !d.Steps[i].End {
			return d.Steps[i+1].ID
		}
	}
	return ""
}

// successors are the steps a step can lead to.
func (d *Definition) successors(id string) []string {
	s := d.step(id)
	if s == nil || s.End {
		return nil
	}
	switch {
	case s.Wait != nil:
		var out []string
		for _, t := range s.Wait.On {
			out = append(out, t)
		}
		return out
	case s.Branch != nil:
		return []string{s.Branch.Then, s.Branch.Else}
	}
	return []string{d.after(id)}
}

// contentLangs is what validation asks of content: the languages it has.
type contentLangs interface{ has(lang string) bool }

type content messaging.Content

func (c content) has(lang string) bool { _, ok := c.ByLang[lang]; return ok }
func (c content) Validate() error      { return messaging.Content(c).Validate() }
