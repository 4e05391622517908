-- wrk script: POST /api/echo with a JSON body the size of the controller's predict-energy body.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"params_m": 5.48, "gflops": 0.44, "gmacs": 0.22, "size_mb": 21.11, "latency_avg_s": 0.0288, ' ..
           '"throughput_iter_per_s": 34.7, "device_type": "jetson_nano"}'
