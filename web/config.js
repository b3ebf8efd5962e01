// Where the site finds the Mysfits API (the gateway, or the ALB in the cloud).
// `mysfits up` serves its own copy pointing at its gateway; `?api=URL` in the page URL wins.
window.MYSFITS_CONFIG = {apiBase: "http://127.0.0.1:8080"};
