"""The app's pages, one module per kind of object. Each starts from a scoped query
(`trainees.access`); anything outside the person's scope answers 404."""
