console.log("engine build: placeholder")
