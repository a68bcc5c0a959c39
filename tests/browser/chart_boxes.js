// Each chart text's box against its SVG's, and against the other texts' boxes.
() => {
    const problems = [];
    document.querySelectorAll('svg.chart').forEach((svg, n) => {
      const box = svg.getBoundingClientRect();
      const texts = [...svg.querySelectorAll('text')]
      .map(t => [t.textContent, t.getBoundingClientRect()]);
      for (const [label, r] of texts) {
        const outside = r.left < box.left - 0.5 || r.right > box.right + 0.5
        || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5;
      if (outside)
          problems.push(`chart ${n}: "${label}" outside its chart`);
      }
      for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
        const [a, ra] = texts[i], [b, rb] = texts[j];
        const overlap = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left) > 0.5
          && Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top) > 0.5;
        if (overlap) problems.push(`chart ${n}: "${a}" overlaps "${b}"`);
      }
      if (box.right > window.innerWidth) problems.push(`chart ${n} wider than the screen`);
    });
    return problems;
}
