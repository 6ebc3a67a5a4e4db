console.log("definitions build: placeholder")
